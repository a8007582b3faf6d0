import { Controller } from '@nestjs/common';
import { rpc, topics, type FleetView, type RequestOf, type WorkerHeartbeat } from '@llmaas/contracts';
import { EventHandler, RpcFailure, RpcHandler } from '@llmaas/kafka';

import { CapacityService } from '../capacity/capacity.service.js';
import { FleetService } from './fleet.service.js';

@Controller()
export class FleetController {
  constructor(
    private readonly fleet: FleetService,
    private readonly capacity: CapacityService,
  ) {}

  @EventHandler(topics.fleetHeartbeats)
  heartbeat(beat: WorkerHeartbeat): void {
    this.fleet.observe(beat);
    this.capacity.heartbeatSeen();
  }

  @RpcHandler(rpc.fleetCommand)
  command(req: RequestOf<typeof rpc.fleetCommand>) {
    if (req.caller.role !== 'operator') throw new RpcFailure('forbidden', 'Only a platform operator may command the fleet.');
    return this.capacity.command(req.caller, req.workerId, req.action, req.model);
  }

  @RpcHandler(rpc.schedulerFleet)
  list(): FleetView {
    return { workers: this.fleet.view() };
  }
}
