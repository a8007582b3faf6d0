import { assertMigrationsMatchSchema, scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { billingDb } from './database.js';

// A scratch database, migrated with our runner, dropped after the file.
const prisma = scratchClient(billingDb, { beforeAll, afterAll });

describe('billing migrations match the Prisma schema', () => {
  it('migrations build exactly the tables, enums, keys and indexes Prisma derives from schema.prisma', () => assertMigrationsMatchSchema(billingDb), 60_000);

  it('round-trips tiers, a price book with entries, usage and an invoice, decimals exact', async () => {
    await prisma.tier.create({ data: { name: 'custom', requestsPerMinute: 600, tokensPerMinute: 200_000, concurrentRequests: 16, monthlyBudgetEur: '1000.00', hardCap: false } });
    await prisma.tier.update({ where: { name: 'custom' }, data: { monthlyBudgetEur: null, hardCap: true } });
    expect(await prisma.tier.findUniqueOrThrow({ where: { name: 'custom' } })).toMatchObject({ monthlyBudgetEur: null, hardCap: true, tokensPerMinute: 200_000 });
    const version = await prisma.priceBookVersion.create({
      data: {
        id: 'pb_2026', tenantId: null, effectiveFrom: new Date('2026-01-01T00:00:00Z'), note: 'document prices',
        entries: { create: [
          { item: 'chat_input', unit: 'token', unitSize: '1000000', priceEur: '1.8' },
          { item: 'chat_output', unit: 'token', unitSize: '1000000', priceEur: '8' },
        ] },
      },
      include: { entries: true },
    });
    expect(version.entries.map((e) => e.priceEur.toString()).sort()).toEqual(['1.8', '8']);
    await prisma.usageRecord.create({
      data: {
        requestId: 'req_1', tenantId: 'tn_1', keyId: 'key_1', model: 'gpt-oss:120b', kind: 'chat', mode: 'batch', status: 'completed',
        inputTokens: 1234, outputTokens: 567, reasoningTokens: 89, documents: 0, audioSeconds: '61.500', amountEur: '0.0067572000',
        priceBookVersionId: version.id, occurredAt: new Date(),
      },
    });
    const usage = await prisma.usageRecord.findUniqueOrThrow({ where: { requestId: 'req_1' }, include: { priceBookVersion: true } });
    expect(usage.amountEur.toString()).toBe('0.0067572');
    expect(usage.audioSeconds.toString()).toBe('61.5');
    expect(usage.priceBookVersion.id).toBe('pb_2026');
    await prisma.usageRecord.update({ where: { requestId: 'req_1' }, data: { status: 'failed', amountEur: '0' } });
    // Idempotency rests on this key.
    await expect(prisma.usageRecord.create({ data: { ...usage, priceBookVersion: undefined } as never })).rejects.toThrow();

    const invoice = await prisma.invoice.create({ data: { id: 'inv_1', tenantId: 'tn_1', period: '2026-11', subtotalEur: '10.10', vatEur: '2.02', totalEur: '12.12' } });
    await prisma.invoice.update({ where: { id: invoice.id }, data: { status: 'finalized', number: '2026-000001', issuedAt: new Date() } });
    expect((await prisma.invoice.findUniqueOrThrow({ where: { number: '2026-000001' } })).totalEur.toString()).toBe('12.12');
    await expect(prisma.invoice.create({ data: { id: 'inv_2', tenantId: 'tn_1', period: '2026-11', subtotalEur: '0', vatEur: '0', totalEur: '0' } })).rejects.toThrow();
    // A price book version in use by the ledger cannot disappear.
    await expect(prisma.priceBookVersion.delete({ where: { id: version.id } })).rejects.toThrow();

    await prisma.usageRecord.deleteMany({});
    await prisma.priceBookVersion.delete({ where: { id: version.id } });
    expect(await prisma.priceBookEntry.count({ where: { versionId: version.id } })).toBe(0);
    // An issued invoice never changes, whatever code runs against the database: a trigger refuses.
    await expect(prisma.invoice.update({ where: { id: invoice.id }, data: { totalEur: '0' } })).rejects.toThrow(/issued and cannot change/);
    await expect(prisma.invoice.delete({ where: { id: invoice.id } })).rejects.toThrow(/issued and cannot change/);
    await prisma.tier.delete({ where: { name: 'custom' } });
  });
});
