import { Controller, Get, Inject, Res } from '@nestjs/common';
import { type Telemetry } from '@llmaas/telemetry';
import { type FastifyReply } from 'fastify';

import { ReadinessRegistry } from './readiness.registry.js';
import { SERVICE_INFO, TELEMETRY, type ServiceInfo } from './service-context.js';

/** Liveness, readiness and Prometheus metrics, on every service's own port. */
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessRegistry,
    @Inject(SERVICE_INFO) private readonly info: ServiceInfo,
    @Inject(TELEMETRY) private readonly telemetry: Telemetry,
  ) {}

  @Get('healthz')
  healthz() {
    return { status: 'ok', service: this.info.name, instance: this.info.instance };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const { ready, dependencies } = await this.readiness.evaluate();
    await reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', service: this.info.name, dependencies });
  }

  @Get('metrics')
  metrics(@Res() reply: FastifyReply): void {
    reply.hijack();
    this.telemetry.handleMetricsRequest(reply.request.raw, reply.raw);
  }
}
