import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { budgetUpdate, creditNoteCreate, invoiceFormat, priceBookVersionCreate, rpc, tierUpsert, usageQuery, type UsageRow } from '@llmaas/contracts';
import { RpcClient } from '@llmaas/kafka';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';

import { callerOf } from '../auth/principal.js';
import { Roles, RolesGuard } from '../auth/roles.guard.js';
import { parseInput } from '../http/parse-input.js';

const usageParams = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  group_by: z.string().default('day'),
  tenant: z.string().optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
const invoiceParams = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM').optional(), tenant: z.string().optional() });
const fileParams = z.object({ format: invoiceFormat.default('json') });
const creditBody = z.object({ reason: z.string(), lines: z.array(z.object({ line: z.number().int().positive(), quantity: z.union([z.string(), z.number()]).transform(String) })).optional() });
const budgetBody = z.object({ monthly_budget_eur: z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? null : String(v))), hard_cap: z.boolean().nullable().default(null) }).strict();
const tierBody = z.object({ requests_per_minute: z.number(), tokens_per_minute: z.number(), concurrent_requests: z.number(), monthly_budget_eur: z.union([z.string(), z.number(), z.null()]).transform((v) => (v === null ? null : String(v))), hard_cap: z.boolean() }).strict();

const csvCell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** Usage aggregates as CSV: one row per group, RFC 4180, decimal points. */
export function usageCsv(rows: readonly UsageRow[], groups: readonly string[]): string {
  const columns = [...groups.map((g) => (g === 'key' ? 'keyId' : g)), 'quantity', 'amountEur', 'records'];
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell((r as Record<string, string | number | undefined>)[c])).join(','))].join('\r\n') + '\r\n';
}

/** What finance teams pull: usage by day / model / key (JSON or CSV), invoices and credit notes in every format. */
@Controller('v1/billing')
export class FinanceController {
  constructor(private readonly rpcClient: RpcClient) {}

  @Get('usage')
  async usage(@Req() req: FastifyRequest, @Query() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const params = parseInput(usageParams, raw);
    const groupBy = params.group_by.split(',').map((g) => g.trim()).filter(Boolean);
    const query = parseInput(usageQuery, { tenantId: params.tenant, from: params.from, to: params.to, groupBy });
    const { data } = await this.rpcClient.call(rpc.billingUsage, { caller: callerOf(req), query });
    if (params.format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="usage-${params.from}-${params.to}.csv"`);
      return usageCsv(data, query.groupBy);
    }
    return { object: 'list', data };
  }

  @Get('invoices')
  async invoices(@Req() req: FastifyRequest, @Query() raw: unknown) {
    const params = parseInput(invoiceParams, raw);
    return { object: 'list', ...(await this.rpcClient.call(rpc.invoiceList, { caller: callerOf(req), ...(params.tenant ? { tenantId: params.tenant } : {}), ...(params.period ? { period: params.period } : {}) })) };
  }

  /** The running month (or another) as its invoice would read today: a draft, not stored. */
  @Get('invoices/preview')
  preview(@Req() req: FastifyRequest, @Query() raw: unknown) {
    const params = parseInput(z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM').default(() => new Date().toISOString().slice(0, 7)), tenant: z.string().optional() }), raw);
    return this.rpcClient.call(rpc.invoicePreview, { caller: callerOf(req), period: params.period, ...(params.tenant ? { tenantId: params.tenant } : {}) });
  }

  @Get('prices')
  async prices(@Req() req: FastifyRequest, @Query() raw: unknown) {
    const params = parseInput(z.object({ tenant: z.string().optional() }), raw);
    return { object: 'list', ...(await this.rpcClient.call(rpc.priceBookList, { caller: callerOf(req), ...(params.tenant ? { tenantId: params.tenant } : {}) })) };
  }

  @Get('invoices/:invoiceId')
  async invoice(@Req() req: FastifyRequest, @Param('invoiceId') invoiceId: string, @Query() raw: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    const { format } = parseInput(fileParams, raw);
    const file = await this.rpcClient.call(rpc.invoiceGet, { caller: callerOf(req), invoiceId, format });
    void reply.header('content-type', file.contentType);
    if (format !== 'json') void reply.header('content-disposition', `attachment; filename="${file.filename}"`);
    return Buffer.from(file.bodyBase64, 'base64');
  }
}

/** Operators close months, issue credit notes and define tiers; budgets are also the tenant's own business. */
@Controller('admin/v1')
@UseGuards(RolesGuard)
export class BillingAdminController {
  constructor(private readonly rpcClient: RpcClient) {}

  @Post('billing/periods/:period/close')
  @HttpCode(200)
  @Roles('operator')
  close(@Req() req: FastifyRequest, @Param('period') period: string) {
    return this.rpcClient.call(rpc.periodClose, { caller: callerOf(req), close: parseInput(z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM') }), { period }) });
  }

  @Post('billing/invoices/:invoiceId/credit-notes')
  @HttpCode(201)
  @Roles('operator')
  creditNote(@Req() req: FastifyRequest, @Param('invoiceId') invoiceId: string, @Body() body: unknown) {
    return this.rpcClient.call(rpc.creditNoteCreate, { caller: callerOf(req), invoiceId, note: parseInput(creditNoteCreate, parseInput(creditBody, body)) });
  }

  @Put('tenants/:tenantId/budget')
  @Roles('operator', 'tenant_admin', 'finance')
  budget(@Req() req: FastifyRequest, @Param('tenantId') tenantId: string, @Body() body: unknown) {
    const b = parseInput(budgetBody, body);
    return this.rpcClient.call(rpc.budgetSet, { caller: callerOf(req), tenantId, budget: parseInput(budgetUpdate, { monthlyBudgetEur: b.monthly_budget_eur, hardCap: b.hard_cap }) });
  }

  @Post('billing/price-book')
  @HttpCode(201)
  @Roles('operator')
  createPrices(@Req() req: FastifyRequest, @Body() body: unknown) {
    return this.rpcClient.call(rpc.priceBookCreate, { caller: callerOf(req), version: parseInput(priceBookVersionCreate, body) });
  }

  @Put('billing/tiers/:name')
  @Roles('operator')
  tier(@Req() req: FastifyRequest, @Param('name') name: string, @Body() body: unknown) {
    const t = parseInput(tierBody, body);
    return this.rpcClient.call(rpc.tierPut, {
      caller: callerOf(req),
      name,
      tier: parseInput(tierUpsert, { requestsPerMinute: t.requests_per_minute, tokensPerMinute: t.tokens_per_minute, concurrentRequests: t.concurrent_requests, monthlyBudgetEur: t.monthly_budget_eur, hardCap: t.hard_cap }),
    });
  }
}
