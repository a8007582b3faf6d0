import { Controller, Inject, type Type } from '@nestjs/common';
import { type RpcDefinition, type ServiceStatus } from '@llmaas/contracts';
import { RpcHandler } from '@llmaas/kafka';

import { ReadinessRegistry } from './readiness.registry.js';
import { SERVICE_INFO, type ServiceInfo } from './service-context.js';

/** The `<service>.status` RPC: who answers, since when, and the state of its dependencies. */
export function createStatusController(def: RpcDefinition): Type<unknown> {
  @Controller()
  class StatusController {
    constructor(
      private readonly readiness: ReadinessRegistry,
      @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
    ) {}

    @RpcHandler(def)
    async status(): Promise<ServiceStatus> {
      const { dependencies } = await this.readiness.evaluate();
      return {
        service: this.info.name,
        instance: this.info.instance,
        version: this.info.version,
        uptimeSeconds: (Date.now() - this.info.startedAt.getTime()) / 1000,
        dependencies,
      };
    }
  }
  return StatusController;
}
