import { Controller } from '@nestjs/common';
import { rpc, topics, type FleetView, type WorkerHeartbeat } from '@llmaas/contracts';
import { EventHandler, RpcHandler } from '@llmaas/kafka';

import { FleetService } from './fleet.service.js';

@Controller()
export class FleetController {
  constructor(private readonly fleet: FleetService) {}

  @EventHandler(topics.fleetHeartbeats)
  heartbeat(beat: WorkerHeartbeat): void {
    this.fleet.observe(beat);
  }

  @RpcHandler(rpc.schedulerFleet)
  list(): FleetView {
    return { workers: this.fleet.view() };
  }
}
