import { Readable } from 'node:stream';

import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { auditQuery, rpc, tenantCreate, tenantUpdate, keyCreate } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';

import { callerOf } from '../auth/principal.js';
import { Roles, RolesGuard } from '../auth/roles.guard.js';
import { parseInput } from '../http/parse-input.js';


const auditParams = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  action: z.string().optional(),
  key_id: z.string().optional(),
  after: z.string().optional(),
  limit: z.coerce.number().int().optional(),
});
const exportParams = auditParams.extend({ format: z.enum(['jsonl', 'csv']).default('jsonl') });

const CSV_COLUMNS = ['seq', 'at', 'eventId', 'tenantId', 'keyId', 'actor', 'source', 'action', 'resource', 'model', 'httpStatus', 'requestId', 'clientAddress', 'userAgent', 'tokens', 'hash'] as const;
const csvCell = (value: string | number | null | undefined) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Tenants, their keys and their audit trail; answered by auth over Kafka, scoped to the caller. */
@Controller('admin/v1/tenants')
@UseGuards(RolesGuard)
export class TenantsAdminController {
  constructor(private readonly rpcClient: RpcClient) {}

  @Post()
  @HttpCode(201)
  @Roles('operator')
  create(@Req() req: FastifyRequest, @Body() body: unknown) {
    return this.rpcClient.call(rpc.tenantCreate, { caller: callerOf(req), tenant: parseInput(tenantCreate, body) });
  }

  @Get()
  @Roles('operator', 'tenant_admin')
  async list(@Req() req: FastifyRequest) {
    return { object: 'list', ...(await this.rpcClient.call(rpc.tenantList, { caller: callerOf(req) })) };
  }

  @Get(':tenantId')
  @Roles('operator', 'tenant_admin')
  get(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string) {
    return this.rpcClient.call(rpc.tenantGet, { caller: callerOf(req), tenantId });
  }

  @Patch(':tenantId')
  @Roles('operator', 'tenant_admin')
  update(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Body() body: unknown) {
    return this.rpcClient.call(rpc.tenantUpdate, { caller: callerOf(req), tenantId, patch: parseInput(tenantUpdate, body) });
  }

  @Post(':tenantId/keys')
  @HttpCode(201)
  @Roles('operator', 'tenant_admin')
  createKey(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Body() body: unknown) {
    return this.rpcClient.call(rpc.keyCreate, { caller: callerOf(req), tenantId, key: parseInput(keyCreate, body) });
  }

  @Get(':tenantId/keys')
  @Roles('operator', 'tenant_admin')
  async listKeys(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string) {
    return { object: 'list', ...(await this.rpcClient.call(rpc.keyList, { caller: callerOf(req), tenantId })) };
  }

  @Get(':tenantId/audit')
  @Roles('operator', 'tenant_admin')
  async audit(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Query() query: unknown) {
    const page = await this.rpcClient.call(rpc.auditQuery, { caller: callerOf(req), query: this.auditQuery(tenantId, query) });
    return { object: 'list', data: page.data, has_more: page.nextCursor !== null, next_cursor: page.nextCursor };
  }

  @Get(':tenantId/audit/verify')
  @Roles('operator', 'tenant_admin')
  verify(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string) {
    return this.rpcClient.call(rpc.auditVerify, { caller: callerOf(req), tenantId });
  }

  /** The whole (filtered) trail, streamed page by page: never held in memory at once. */
  @Get(':tenantId/audit/export')
  @Roles('operator', 'tenant_admin')
  async export(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Query() query: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const params = parseInput(exportParams, query);
    const base = this.auditQuery(tenantId, { ...params, after: undefined, limit: 1000 });
    const who = callerOf(req);
    // The first page runs before any byte is sent, so a refused export is a clean JSON error.
    const first = await this.rpcClient.call(rpc.auditQuery, { caller: who, query: base });
    const rpcClient = this.rpcClient;
    async function* lines() {
      if (params.format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
      let page = first;
      for (;;) {
        for (const record of page.data) {
          yield params.format === 'csv' ? `${CSV_COLUMNS.map((c) => csvCell(record[c])).join(',')}\n` : `${JSON.stringify(record)}\n`;
        }
        if (!page.nextCursor) return;
        page = await rpcClient.call(rpc.auditQuery, { caller: who, query: { ...base, after: page.nextCursor } });
      }
    }
    void reply
      .header('content-type', params.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
      .header('content-disposition', `attachment; filename="audit-${tenantId}.${params.format}"`);
    return Readable.from(lines());
  }

  private auditQuery(tenantId: string, query: unknown) {
    const q = parseInput(auditParams, query);
    return parseInput(auditQuery, { tenantId, from: q.from, to: q.to, action: q.action, keyId: q.key_id, after: q.after, limit: q.limit ?? 100 });
  }
}
