import { Controller, Get, UseGuards } from '@nestjs/common';
import { rpc, type FleetView, type RpcDefinition, type ServiceName, type ServiceStatus } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';

import { Roles, RolesGuard } from '../auth/roles.guard.js';

/** The services that answer requests over Kafka, each asked for its status. */
const statusCalls: readonly (readonly [ServiceName, RpcDefinition])[] = [
  ['auth', rpc.authStatus],
  ['prompt-guard', rpc.guardStatus],
  ['scheduler', rpc.schedulerStatus],
  ['billing', rpc.billingStatus],
  ['lifecycle', rpc.lifecycleStatus],
  ['batch', rpc.batchStatus],
];
export const statusRpcs: readonly RpcDefinition[] = statusCalls.map(([, def]) => def);

type ServiceReport = (ServiceStatus & { reachable: true; roundTripMs: number }) | { service: string; reachable: false; error: string };

@Controller('admin/v1')
@UseGuards(RolesGuard)
@Roles('operator')
export class PlatformStatusController {
  constructor(private readonly rpcClient: RpcClient) {}

  /** One Kafka round trip to every service, in parallel; a silent service is reported, not fatal. */
  @Get('status')
  async status(): Promise<{ object: 'platform.status'; healthy: boolean; services: ServiceReport[] }> {
    const services = await Promise.all(
      statusCalls.map(async ([service, def]): Promise<ServiceReport> => {
        const started = performance.now();
        try {
          const status = (await this.rpcClient.call(def, { from: 'gateway' })) as ServiceStatus;
          return { ...status, reachable: true, roundTripMs: Math.round((performance.now() - started) * 100) / 100 };
        } catch (error) {
          return { service, reachable: false, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const healthy = services.every((s) => s.reachable && Object.values(s.dependencies).every((d) => d === 'up'));
    return { object: 'platform.status', healthy, services };
  }

  @Get('fleet')
  async fleet(): Promise<FleetView & { object: 'fleet' }> {
    const view = await this.rpcClient.call(rpc.schedulerFleet, {});
    return { object: 'fleet', ...view };
  }
}
