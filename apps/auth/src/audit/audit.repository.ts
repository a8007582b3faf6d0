import { Inject, Injectable } from '@nestjs/common';
import { type AuditEvent, type AuditRecordView } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';

import { type AuditRecord, type PrismaClient } from '../generated/prisma/client.js';
import { GENESIS_HASH, chainOf, hashRecord, type ChainStart, type ChainedFields } from './audit-chain.js';

export interface AuditFilter {
  chain: string;
  from?: Date;
  to?: Date;
  action?: string;
  keyId?: string;
  /** Return records with a seq below this one (pages go from newest to oldest). */
  beforeSeq?: bigint;
  limit: number;
}

export function toAuditView(r: AuditRecord): AuditRecordView {
  return {
    eventId: r.eventId,
    at: r.at.toISOString(),
    tenantId: r.tenantId,
    keyId: r.keyId,
    actor: r.actor,
    source: r.source as AuditRecordView['source'],
    action: r.action,
    resource: r.resource,
    model: r.model,
    httpStatus: r.httpStatus,
    requestId: r.requestId,
    clientAddress: r.clientAddress,
    userAgent: r.userAgent,
    tokens: r.tokens,
    latencyMs: r.latencyMs,
    seq: Number(r.seq),
    hash: r.hash,
  };
}

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * One INSERT for a whole batch, columns passed as arrays and expanded by unnest: thousands of
 * rows cost one round trip and one statement (Prisma's createMany spends its time building
 * a statement with a placeholder per cell).
 */
async function insertRows(tx: Tx, rows: readonly (ChainedFields & { hash: string })[]): Promise<void> {
  const col = <T>(pick: (r: ChainedFields & { hash: string }) => T) => rows.map(pick);
  await tx.$executeRawUnsafe(
    `INSERT INTO "auth"."audit_records"
       (chain, seq, at, event_id, tenant_id, key_id, actor, source, action, resource, model, http_status, request_id, client_address, user_agent, tokens, latency_ms, prev_hash, hash)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                          $10::text[], $11::text[], $12::int[], $13::text[], $14::text[], $15::text[], $16::int[], $17::float8[], $18::text[], $19::text[])`,
    col((r) => r.chain),
    col((r) => r.seq.toString()),
    col((r) => r.at.toISOString()),
    col((r) => r.eventId),
    col((r) => r.tenantId),
    col((r) => r.keyId),
    col((r) => r.actor),
    col((r) => r.source),
    col((r) => r.action),
    col((r) => r.resource),
    col((r) => r.model),
    col((r) => r.httpStatus),
    col((r) => r.requestId),
    col((r) => r.clientAddress),
    col((r) => r.userAgent),
    col((r) => r.tokens),
    col((r) => r.latencyMs ?? null),
    col((r) => r.prevHash),
    col((r) => r.hash),
  );
}

/** The audit trail's storage: appends under a per-chain lock, reads, and retention. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(PRISMA) private readonly prisma: PrismaClient) {}

  /**
   * Appends events in one transaction, each chain locked at its head so seq has no gaps.
   * Idempotent by event id: a redelivered event is skipped. Returns how many were written.
   */
  async append(events: readonly AuditEvent[]): Promise<number> {
    const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
    return this.prisma.$transaction(
      async (tx) => {
        const seen = await tx.$queryRawUnsafe<{ event_id: string }[]>(
          `SELECT event_id FROM "auth"."audit_records" WHERE event_id = ANY($1::text[])`,
          unique.map((e) => e.eventId),
        );
        const known = new Set(seen.map((r) => r.event_id));
        const byChain = new Map<string, AuditEvent[]>();
        for (const event of unique) {
          if (known.has(event.eventId)) continue;
          const chain = chainOf(event.tenantId);
          byChain.set(chain, [...(byChain.get(chain) ?? []), event]);
        }
        const rows: (ChainedFields & { hash: string })[] = [];
        // Sorted, so two transactions lock shared chains in the same order (no deadlock).
        for (const chain of [...byChain.keys()].sort()) {
          await tx.$executeRawUnsafe(`INSERT INTO "auth"."audit_chain_heads" (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, chain, GENESIS_HASH);
          const [head] = await tx.$queryRawUnsafe<{ seq: bigint; hash: string }[]>(`SELECT seq, hash FROM "auth"."audit_chain_heads" WHERE chain = $1 FOR UPDATE`, chain);
          let seq = head?.seq ?? 0n;
          let prevHash = head?.hash ?? GENESIS_HASH;
          for (const e of byChain.get(chain) ?? []) {
            seq += 1n;
            const fields: ChainedFields = {
              chain, seq, at: new Date(e.at), eventId: e.eventId, tenantId: e.tenantId, keyId: e.keyId, actor: e.actor, source: e.source, action: e.action,
              resource: e.resource, model: e.model, httpStatus: e.httpStatus, requestId: e.requestId, clientAddress: e.clientAddress, userAgent: e.userAgent,
              tokens: e.tokens, latencyMs: e.latencyMs, prevHash,
            };
            const hash = hashRecord(fields);
            rows.push({ ...fields, hash });
            prevHash = hash;
          }
          await tx.$executeRawUnsafe(`UPDATE "auth"."audit_chain_heads" SET seq = $2, hash = $3 WHERE chain = $1`, chain, seq, prevHash);
        }
        if (rows.length > 0) await insertRows(tx, rows);
        // A key's last use is learnt from the trail, so the gateway never writes auth's tables.
        const lastUse = new Map<string, Date>();
        for (const row of rows) {
          if (row.keyId === null || row.source !== 'gateway') continue;
          const seen = lastUse.get(row.keyId);
          if (!seen || seen < row.at) lastUse.set(row.keyId, row.at);
        }
        for (const [keyId, at] of lastUse) {
          await tx.$executeRawUnsafe(
            `UPDATE "auth"."api_keys" SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)`,
            keyId,
            at,
          );
        }
        return rows.length;
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
  }

  async page(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.prisma.auditRecord.findMany({
      where: {
        chain: filter.chain,
        at: { gte: filter.from, lt: filter.to },
        action: filter.action,
        keyId: filter.keyId,
        seq: filter.beforeSeq !== undefined ? { lt: filter.beforeSeq } : undefined,
      },
      orderBy: { seq: 'desc' },
      take: filter.limit,
    });
  }

  /** Records of a chain in seq order, after `afterSeq`, one page at a time (verification). */
  async ascending(chain: string, afterSeq: bigint, limit: number): Promise<AuditRecord[]> {
    return this.prisma.auditRecord.findMany({ where: { chain, seq: { gt: afterSeq } }, orderBy: { seq: 'asc' }, take: limit });
  }

  async head(chain: string): Promise<bigint> {
    return (await this.prisma.auditChainHead.findUnique({ where: { chain } }))?.seq ?? 0n;
  }

  async checkpoint(chain: string) {
    return this.prisma.auditCheckpoint.findUnique({ where: { chain } });
  }

  /**
   * Removes the start of a chain older than `cutoff`, leaving a signed checkpoint with the hash
   * the first remaining record links to. Only a prefix is removed, so the rest stays verifiable.
   */
  async removeBefore(chain: string, cutoff: Date, sign: (seq: bigint, hash: string) => string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const firstKept = await tx.auditRecord.findFirst({ where: { chain, at: { gte: cutoff } }, orderBy: { seq: 'asc' }, select: { seq: true } });
      const headSeq = (await tx.auditChainHead.findUnique({ where: { chain } }))?.seq ?? 0n;
      const lastRemoved = firstKept ? firstKept.seq - 1n : headSeq;
      const boundary = await tx.auditRecord.findFirst({ where: { chain, seq: lastRemoved }, select: { seq: true, hash: true } });
      if (!boundary) return 0;
      const { count } = await tx.auditRecord.deleteMany({ where: { chain, seq: { lte: lastRemoved } } });
      const checkpoint = { seq: boundary.seq, hash: boundary.hash, signature: sign(boundary.seq, boundary.hash) };
      await tx.auditCheckpoint.upsert({ where: { chain }, create: { chain, ...checkpoint }, update: checkpoint });
      return count;
    });
  }

  async start(chain: string, verifyCheckpoint: (seq: bigint, hash: string, signature: string) => boolean): Promise<ChainStart | 'forged'> {
    const checkpoint = await this.checkpoint(chain);
    if (!checkpoint) return { seq: 0n, hash: GENESIS_HASH };
    return verifyCheckpoint(checkpoint.seq, checkpoint.hash, checkpoint.signature) ? { seq: checkpoint.seq, hash: checkpoint.hash } : 'forged';
  }
}
