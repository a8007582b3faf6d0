import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The hash a chain's first record links to. */
export const GENESIS_HASH = '0'.repeat(64);
/** Chain of records with no tenant (platform-level actions). */
export const PLATFORM_CHAIN = '_platform';

export const chainOf = (tenantId: string | null): string => tenantId ?? PLATFORM_CHAIN;

/** The fields a record's hash covers, in a fixed order. Changing any of them breaks the chain. */
export interface ChainedFields {
  chain: string;
  seq: bigint;
  at: Date;
  eventId: string;
  tenantId: string | null;
  keyId: string | null;
  actor: string;
  source: string;
  action: string;
  resource: string;
  model: string | null;
  httpStatus: number | null;
  requestId: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  tokens: number | null;
  /**
   * Hashed only when measured: records written before latency was recorded (null) hash exactly
   * as they did, so existing chains still verify.
   */
  latencyMs?: number | null;
  prevHash: string;
}

export function hashRecord(r: ChainedFields): string {
  const canonical = JSON.stringify([
    r.chain,
    r.seq.toString(),
    r.at.toISOString(),
    r.eventId,
    r.tenantId,
    r.keyId,
    r.actor,
    r.source,
    r.action,
    r.resource,
    r.model,
    r.httpStatus,
    r.requestId,
    r.clientAddress,
    r.userAgent,
    r.tokens,
    r.prevHash,
    ...(r.latencyMs === null || r.latencyMs === undefined ? [] : [r.latencyMs]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainStart {
  /** Seq of the last record before the first one checked (0 at genesis). */
  seq: bigint;
  hash: string;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBrokenSeq: bigint | null;
  problem: string | null;
}

/**
 * Walks records in seq order from `start`: each must follow the previous one (seq + 1, no gap:
 * a deleted record), link to its hash (prevHash), and hash to its own stored hash (an edited record).
 * Returns a function to feed pages of records, so a long chain is checked without loading it whole.
 */
export function chainVerifier(start: ChainStart) {
  let expectedSeq = start.seq + 1n;
  let prevHash = start.hash;
  let checked = 0;
  let broken: ChainCheck | null = null;
  return {
    feed(records: readonly (ChainedFields & { hash: string })[]): void {
      for (const record of records) {
        if (broken) return;
        if (record.seq !== expectedSeq) {
          broken = { ok: false, checked, firstBrokenSeq: expectedSeq, problem: `record ${expectedSeq} is missing (next is ${record.seq})` };
        } else if (record.prevHash !== prevHash) {
          broken = { ok: false, checked, firstBrokenSeq: record.seq, problem: `record ${record.seq} does not link to the previous record` };
        } else if (hashRecord(record) !== record.hash) {
          broken = { ok: false, checked, firstBrokenSeq: record.seq, problem: `record ${record.seq} was modified after it was written` };
        } else {
          checked++;
          expectedSeq++;
          prevHash = record.hash;
        }
      }
    },
    /** `headSeq`: the last seq the chain head says was written (catches deleted tail records). */
    result(headSeq: bigint): ChainCheck {
      if (broken) return broken;
      if (headSeq >= expectedSeq) return { ok: false, checked, firstBrokenSeq: expectedSeq, problem: `records ${expectedSeq} to ${headSeq} are missing` };
      return { ok: true, checked, firstBrokenSeq: null, problem: null };
    },
  };
}

/** Signature of a retention checkpoint: HMAC over the chain, seq and hash it vouches for. */
export function signCheckpoint(secret: string, chain: string, seq: bigint, hash: string): string {
  return createHmac('sha256', secret).update(`${chain}\n${seq}\n${hash}`).digest('hex');
}

export function checkpointValid(secret: string, chain: string, seq: bigint, hash: string, signature: string): boolean {
  const expected = Buffer.from(signCheckpoint(secret, chain, seq, hash), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
