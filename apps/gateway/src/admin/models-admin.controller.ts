import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req, UseGuards } from '@nestjs/common';
import { modelCreate, modelDeprecate, modelGrant, modelPromote, modelUpdate, modelWithdraw, rpc } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';
import { type FastifyRequest } from 'fastify';

import { callerOf } from '../auth/principal.js';
import { Roles, RolesGuard } from '../auth/roles.guard.js';
import { parseInput } from '../http/parse-input.js';

/**
 * The model catalog for operators, answered by lifecycle over Kafka. Model ids with a slash
 * (`nvidia/llama-nemotron-rerank-vl-1b-v2`) are sent percent-encoded (`nvidia%2F…`), as any
 * HTTP client does for a path segment.
 */
@Controller('admin/v1/models')
@UseGuards(RolesGuard)
@Roles('operator')
export class ModelsAdminController {
  constructor(private readonly rpcClient: RpcClient) {}

  @Get()
  async list(@Req() req: FastifyRequest) {
    return { object: 'list', ...(await this.rpcClient.call(rpc.modelList, { caller: callerOf(req) })) };
  }

  /** Adds a model; without a production date it is in evaluation (visible to beta tenants only). */
  @Post()
  @HttpCode(201)
  create(@Req() req: FastifyRequest, @Body() body: unknown) {
    return this.rpcClient.call(rpc.modelCreate, { caller: callerOf(req), model: parseInput(modelCreate, body) });
  }

  @Get(':modelId')
  get(@Req() req: FastifyRequest, @Param('modelId') modelId: string) {
    return this.rpcClient.call(rpc.modelGet, { caller: callerOf(req), modelId });
  }

  /** Attributes and dates; extended support for an LTS model is a later `endOfSupportDate` here. */
  @Patch(':modelId')
  update(@Req() req: FastifyRequest, @Param('modelId') modelId: string, @Body() body: unknown) {
    return this.rpcClient.call(rpc.modelUpdate, { caller: callerOf(req), modelId, patch: parseInput(modelUpdate, body) });
  }

  @Post(':modelId/promote')
  @HttpCode(200)
  promote(@Req() req: FastifyRequest, @Param('modelId') modelId: string, @Body() body: unknown) {
    return this.rpcClient.call(rpc.modelPromote, { caller: callerOf(req), modelId, promote: parseInput(modelPromote, body) });
  }

  @Post(':modelId/deprecate')
  @HttpCode(200)
  deprecate(@Req() req: FastifyRequest, @Param('modelId') modelId: string, @Body() body: unknown) {
    return this.rpcClient.call(rpc.modelDeprecate, { caller: callerOf(req), modelId, deprecate: parseInput(modelDeprecate, body) });
  }

  /** Emergency removal (a security flaw): at once, no notice. */
  @Post(':modelId/withdraw')
  @HttpCode(200)
  withdraw(@Req() req: FastifyRequest, @Param('modelId') modelId: string, @Body() body: unknown) {
    return this.rpcClient.call(rpc.modelWithdraw, { caller: callerOf(req), modelId, withdraw: parseInput(modelWithdraw, body) });
  }

  /** Re-enables a removed model for one tenant ("reactivated for specific projects upon request"). */
  @Put(':modelId/tenants/:tenantId')
  async grant(@Req() req: FastifyRequest, @Param('modelId') modelId: string, @Param('tenantId') tenantId: string, @Body() body: unknown) {
    const caller = callerOf(req);
    const grant = parseInput(modelGrant, body);
    // The tenant must exist (auth owns tenants): an unknown one is a 404, not a grant to nobody.
    await this.rpcClient.call(rpc.tenantGet, { caller, tenantId });
    return this.rpcClient.call(rpc.modelGrant, { caller, modelId, tenantId, grant });
  }

  @Delete(':modelId/tenants/:tenantId')
  revokeGrant(@Req() req: FastifyRequest, @Param('modelId') modelId: string, @Param('tenantId') tenantId: string) {
    return this.rpcClient.call(rpc.modelRevokeGrant, { caller: callerOf(req), modelId, tenantId });
  }
}
