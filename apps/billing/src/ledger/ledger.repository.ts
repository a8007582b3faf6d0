import { Inject, Injectable } from '@nestjs/common';
import { PRISMA } from '@llmaas/db';
import { Decimal } from '@llmaas/pricing';

import { type PrismaClient } from '../generated/prisma/client.js';
import { type PricedBatch } from './ledger-rows.js';

export interface SpendChange {
  tenantId: string;
  period: string;
  spendEur: string;
}

/**
 * The ledger's one write: a fetched batch in one statement (so one transaction). New request ids
 * are inserted; an id already in the ledger (redelivery, replay, restart) inserts nothing and adds
 * nothing to the aggregates or the month's spend, which are summed only from the rows inserted.
 */
const INGEST = `
WITH inserted AS (
  INSERT INTO "billing"."usage_records" (request_id, tenant_id, key_id, model, kind, mode, status, input_tokens, output_tokens, reasoning_tokens, documents, audio_seconds, amount_eur, price_book_version_id, override_version_id, occurred_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::"billing"."UsageMode"[], $7::text[], $8::int[], $9::int[], $10::int[], $11::int[], $12::numeric[], $13::numeric[], $14::text[], $15::text[], $16::timestamptz[])
  ON CONFLICT (request_id) DO NOTHING
  RETURNING request_id
), items AS (
  SELECT i.* FROM unnest($17::text[], $18::text[], $19::date[], $20::text[], $21::text[], $22::text[], $23::"billing"."UsageMode"[], $24::numeric[], $25::numeric[], $26::numeric[], $27::numeric[])
    AS i(request_id, tenant_id, day, model, key_id, item, mode, price_eur, unit_size, quantity, amount_eur)
  WHERE i.request_id IN (SELECT request_id FROM inserted)
), aggregated AS (
  INSERT INTO "billing"."usage_aggregates" AS a (tenant_id, day, model, key_id, item, mode, price_eur, unit_size, quantity, amount_eur, records)
  SELECT tenant_id, day, model, key_id, item, mode, price_eur, unit_size, sum(quantity), sum(amount_eur), count(*)::int FROM items
  GROUP BY tenant_id, day, model, key_id, item, mode, price_eur, unit_size
  ORDER BY tenant_id, day, model, key_id, item, mode, price_eur, unit_size
  ON CONFLICT (tenant_id, day, model, key_id, item, mode, price_eur, unit_size) DO UPDATE
    SET quantity = a.quantity + excluded.quantity, amount_eur = a.amount_eur + excluded.amount_eur, records = a.records + excluded.records
  RETURNING 1
), spent AS (
  INSERT INTO "billing"."tenant_spend" AS s (tenant_id, period, spend_eur)
  SELECT tenant_id, to_char(day, 'YYYY-MM'), sum(amount_eur) FROM items
  GROUP BY tenant_id, to_char(day, 'YYYY-MM')
  ORDER BY 1, 2
  ON CONFLICT (tenant_id, period) DO UPDATE SET spend_eur = s.spend_eur + excluded.spend_eur
  RETURNING tenant_id, period, spend_eur
)
SELECT tenant_id AS "tenantId", period, spend_eur::text AS "spendEur", (SELECT count(*) FROM inserted)::int AS inserted FROM spent
UNION ALL SELECT NULL, NULL, NULL, (SELECT count(*) FROM inserted)::int`;

@Injectable()
export class LedgerRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /** Writes a priced batch; returns the months whose spend changed and how many events were new. */
  async ingest(batch: PricedBatch): Promise<{ inserted: number; spend: SpendChange[] }> {
    if (batch.records.length === 0) return { inserted: 0, spend: [] };
    const r = batch.records;
    const i = batch.items;
    const rows = await this.prisma.$queryRawUnsafe<(SpendChange & { inserted: number })[]>(
      INGEST,
      r.map((x) => x.usage.requestId),
      r.map((x) => x.usage.tenantId),
      r.map((x) => x.usage.keyId),
      r.map((x) => x.usage.model),
      r.map((x) => x.usage.kind),
      r.map((x) => x.usage.mode),
      r.map((x) => x.usage.status),
      r.map((x) => x.usage.inputTokens),
      r.map((x) => x.usage.outputTokens),
      r.map((x) => x.usage.reasoningTokens),
      r.map((x) => x.usage.documents),
      r.map((x) => String(x.usage.audioSeconds)),
      r.map((x) => x.amountEur),
      r.map((x) => x.versionId),
      r.map((x) => x.overrideVersionId),
      r.map((x) => x.usage.finishedAt),
      i.map((x) => x.requestId),
      i.map((x) => x.tenantId),
      i.map((x) => x.day),
      i.map((x) => x.model),
      i.map((x) => x.keyId),
      i.map((x) => x.item),
      i.map((x) => x.mode),
      i.map((x) => x.priceEur),
      i.map((x) => x.unitSize),
      i.map((x) => x.quantity),
      i.map((x) => x.amountEur),
    );
    // The last row (tenant null) only carries the count, present even when nothing cost anything.
    return { inserted: rows.at(-1)?.inserted ?? 0, spend: rows.filter((x) => x.tenantId !== null).map(({ tenantId, period, spendEur }) => ({ tenantId, period, spendEur: new Decimal(spendEur).toFixed() })) };
  }
}
