import { Body, Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { rpc } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';
import { type FastifyRequest } from 'fastify';
import { z } from 'zod';

import { callerOf } from '../auth/principal.js';
import { Roles, RolesGuard } from '../auth/roles.guard.js';
import { parseInput } from '../http/parse-input.js';

const rotateBody = z.object({ overlap_hours: z.number().min(0).max(720).optional() }).strict();

/** One key: read, rotate (successor shown once), revoke, fetch an auto-rotated secret once. */
@Controller('admin/v1/keys')
@UseGuards(RolesGuard)
@Roles('operator', 'tenant_admin')
export class KeysAdminController {
  constructor(private readonly rpcClient: RpcClient) {}

  @Get(':keyId')
  get(@Req() req: FastifyRequest, @Param('keyId') keyId: string) {
    return this.rpcClient.call(rpc.keyGet, { caller: callerOf(req), keyId });
  }

  @Post(':keyId/rotate')
  @HttpCode(201)
  rotate(@Req() req: FastifyRequest, @Param('keyId') keyId: string, @Body() body: unknown) {
    const { overlap_hours: overlapHours } = parseInput(rotateBody, body);
    return this.rpcClient.call(rpc.keyRotate, { caller: callerOf(req), keyId, ...(overlapHours !== undefined ? { overlapHours } : {}) });
  }

  @Post(':keyId/revoke')
  @HttpCode(200)
  revoke(@Req() req: FastifyRequest, @Param('keyId') keyId: string) {
    return this.rpcClient.call(rpc.keyRevoke, { caller: callerOf(req), keyId });
  }

  @Post(':keyId/secret')
  @HttpCode(200)
  secret(@Req() req: FastifyRequest, @Param('keyId') keyId: string) {
    return this.rpcClient.call(rpc.keySuccessorSecret, { caller: callerOf(req), keyId });
  }
}
