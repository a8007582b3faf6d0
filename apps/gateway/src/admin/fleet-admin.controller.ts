import { Controller, Delete, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { rpc } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';

import { callerOf } from '../auth/principal.js';
import { Roles, RolesGuard } from '../auth/roles.guard.js';
import { parseInput } from '../http/parse-input.js';

const loadBody = z.object({ model: z.string().min(1).max(200) }).strict();

/**
 * Operators' hands on the fleet (GET /admin/v1/fleet lists it): cordon, drain, load and unload,
 * checked against the fleet and audited by the scheduler, carried out by the worker.
 */
@Controller('admin/v1/fleet/workers/:workerId')
@UseGuards(RolesGuard)
@Roles('operator')
export class FleetAdminController {
  constructor(private readonly rpcClient: RpcClient) {}

  /** Takes no new work; running work goes on. */
  @Post('cordon')
  @HttpCode(202)
  cordon(@Req() req: FastifyRequest, @Param('workerId') workerId: string) {
    return this.rpcClient.call(rpc.fleetCommand, { caller: callerOf(req), workerId, action: 'cordon' });
  }

  @Post('uncordon')
  @HttpCode(202)
  uncordon(@Req() req: FastifyRequest, @Param('workerId') workerId: string) {
    return this.rpcClient.call(rpc.fleetCommand, { caller: callerOf(req), workerId, action: 'uncordon' });
  }

  /** For maintenance: finishes running work, takes no new work. */
  @Post('drain')
  @HttpCode(202)
  drain(@Req() req: FastifyRequest, @Param('workerId') workerId: string) {
    return this.rpcClient.call(rpc.fleetCommand, { caller: callerOf(req), workerId, action: 'drain' });
  }

  @Post('models')
  @HttpCode(202)
  load(@Req() req: FastifyRequest, @Param('workerId') workerId: string) {
    const { model } = parseInput(loadBody, req.body);
    return this.rpcClient.call(rpc.fleetCommand, { caller: callerOf(req), workerId, action: 'load', model });
  }

  @Delete('models/:model')
  @HttpCode(202)
  unload(@Req() req: FastifyRequest, @Param('workerId') workerId: string, @Param('model') model: string) {
    return this.rpcClient.call(rpc.fleetCommand, { caller: callerOf(req), workerId, action: 'unload', model });
  }
}
