import { type InferenceUsage } from '@llmaas/contracts';
import { scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { billingDb } from '../database/database.js';
import { type PrismaClient } from '../generated/prisma/client.js';
import { PriceBookRepository } from '../prices/price-book.repository.js';
import { priceBatch } from './ledger-rows.js';
import { LedgerRepository } from './ledger.repository.js';

// Against a real, migrated PostgreSQL: the seeded public price book (the document's prices).
const prisma = scratchClient(billingDb, { beforeAll, afterAll }) as unknown as PrismaClient;
let ledger: LedgerRepository;
let prices: PriceBookRepository;
beforeAll(async () => {
  ledger = new LedgerRepository(prisma);
  prices = new PriceBookRepository(prisma);
  await prices.load();
});

let serial = 0;
const usage = (over: Partial<InferenceUsage>): InferenceUsage => ({
  requestId: `req-${++serial}`, tenantId: 'ta', keyId: 'k1', model: 'qwen3:14b', kind: 'chat', mode: 'interactive', status: 'completed',
  inputTokens: 0, outputTokens: 0, reasoningTokens: 0, documents: 0, audioSeconds: 0, workerId: 'w1',
  startedAt: '2026-11-20T10:00:00.000Z', finishedAt: '2026-11-20T10:00:02.000Z', timeToFirstTokenMs: 12, ...over,
});
const ingest = (events: InferenceUsage[]) => ledger.ingest(priceBatch(events, (t, at) => prices.pricesAt(t, at)));
const spendOf = async (tenantId: string, period: string) => (await prisma.tenantSpend.findUnique({ where: { tenantId_period: { tenantId, period } } }))?.spendEur.toFixed() ?? '0';

describe('the ledger (real PostgreSQL)', () => {
  it('prices each event at ingestion, aggregates it, and adds it to the month once, however often it comes', async () => {
    const batch = [
      // 1,000,000 in × 1.8 + (500,000 − 200,000) out × 8 + 200,000 reasoning × 8 = 1.8 + 2.4 + 1.6 = 5.8 €
      usage({ inputTokens: 1_000_000, outputTokens: 500_000, reasoningTokens: 200_000 }),
      // 250,000 embedding tokens × 1.8/M = 0.45 €
      usage({ kind: 'embedding', model: 'bge-m3:567m', inputTokens: 250_000 }),
      // 90 s of audio at 0.01 €/min = 0.015 €
      usage({ kind: 'audio-transcription', model: 'whisper3:1.6b', audioSeconds: 89.2 }),
      // another tenant, batch mode: 2,000,000 × 0.9/M + 1,000,000 × 4/M = 5.8 €
      usage({ tenantId: 'tb', mode: 'batch', inputTokens: 2_000_000, outputTokens: 1_000_000, reasoningTokens: 400_000 }),
    ];
    const first = await ingest(batch);
    expect(first.inserted).toBe(4);
    expect(Object.fromEntries(first.spend.map((s) => [s.tenantId, s.spendEur]))).toEqual({ ta: '6.265', tb: '5.8' });
    // Redelivered (a Kafka retry, a restart before the offset commit, a replay): nothing changes.
    const again = await ingest(batch);
    expect(again).toEqual({ inserted: 0, spend: [] });
    expect(await spendOf('ta', '2026-11')).toBe('6.265');
    // A batch mixing a known event and a new one adds only the new one.
    const mixed = await ingest([batch[0]!, usage({ inputTokens: 10 })]);
    expect(mixed.inserted).toBe(1);
    expect(await spendOf('ta', '2026-11')).toBe('6.265018');

    const aggregates = await prisma.usageAggregate.findMany({ where: { tenantId: 'ta' }, orderBy: { item: 'asc' } });
    expect(aggregates.map((a) => [a.item, a.quantity.toFixed(), a.amountEur.toFixed(), a.records])).toEqual([
      ['audio_second', '90', '0.015', 1],
      ['chat_input', '1000010', '1.800018', 2],
      ['chat_output', '300000', '2.4', 1],
      ['embedding_input', '250000', '0.45', 1],
      ['reasoning_output', '200000', '1.6', 1],
    ]);
    const record = await prisma.usageRecord.findUniqueOrThrow({ where: { requestId: batch[0]!.requestId } });
    expect(record).toMatchObject({ priceBookVersionId: 'public-2025-01-01', overrideVersionId: null, reasoningTokens: 200_000 });
    expect(record.amountEur.toFixed()).toBe('5.8');
  });

  it('counts a failed request (our fault) in the ledger at zero, and a month by the event\'s end', async () => {
    const failed = usage({ tenantId: 'tc', status: 'failed', inputTokens: 500, outputTokens: 20 });
    const lateOctober = usage({ tenantId: 'tc', inputTokens: 1_000_000, startedAt: '2026-10-31T23:59:59.000Z', finishedAt: '2026-10-31T23:59:59.900Z' });
    const result = await ingest([failed, lateOctober]);
    expect(result.inserted).toBe(2);
    expect(result.spend).toEqual([{ tenantId: 'tc', period: '2026-10', spendEur: '1.8' }]);
    expect((await prisma.usageRecord.findUniqueOrThrow({ where: { requestId: failed.requestId } })).amountEur.toFixed()).toBe('0');
  });

  it('stays exact over many small events (no float drift)', async () => {
    const events = Array.from({ length: 5000 }, () => usage({ tenantId: 'td', inputTokens: 1, outputTokens: 1 }));
    for (let i = 0; i < events.length; i += 1000) await ingest(events.slice(i, i + 1000));
    // 5,000 × (1 × 1.8 + 1 × 8) / 1,000,000 = 0.049 € exactly.
    expect(await spendOf('td', '2026-11')).toBe('0.049');
  });

  it('uses a tenant\'s negotiated price from its effective date', async () => {
    await prisma.priceBookVersion.create({ data: { id: 'te-deal', tenantId: 'te', effectiveFrom: new Date('2026-11-15T00:00:00Z'), entries: { create: [{ item: 'chat_output', unit: '1M tokens', unitSize: '1000000', priceEur: '6' }] } } });
    await prices.load();
    const before = usage({ tenantId: 'te', outputTokens: 1_000_000, finishedAt: '2026-11-14T12:00:00.000Z' });
    const after = usage({ tenantId: 'te', outputTokens: 1_000_000, finishedAt: '2026-11-16T12:00:00.000Z' });
    await ingest([before, after]);
    expect(await spendOf('te', '2026-11')).toBe('14');
    expect((await prisma.usageRecord.findUniqueOrThrow({ where: { requestId: after.requestId } })).overrideVersionId).toBe('te-deal');
  });
});
