import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { batchCreate, batchListQuery, rpc } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';
import { type FastifyRequest } from 'fastify';

import { callerOf } from '../auth/principal.js';
import { parseInput } from '../http/parse-input.js';

/** OpenAI's Batch API; the batch service answers over Kafka. */
@Controller('v1/batches')
export class BatchesController {
  constructor(private readonly rpcClient: RpcClient) {}

  @Post()
  @HttpCode(200)
  create(@Req() req: FastifyRequest, @Body() body: unknown) {
    return this.rpcClient.call(rpc.batchCreate, { caller: callerOf(req), batch: parseInput(batchCreate, body) });
  }

  @Get()
  list(@Req() req: FastifyRequest, @Query() query: unknown) {
    return this.rpcClient.call(rpc.batchList, { caller: callerOf(req), query: parseInput(batchListQuery, query) });
  }

  @Get(':id')
  get(@Req() req: FastifyRequest, @Param('id') id: string) {
    return this.rpcClient.call(rpc.batchGet, { caller: callerOf(req), batchId: id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Req() req: FastifyRequest, @Param('id') id: string) {
    return this.rpcClient.call(rpc.batchCancel, { caller: callerOf(req), batchId: id });
  }
}
