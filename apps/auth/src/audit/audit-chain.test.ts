import { describe, expect, it } from 'vitest';

import { GENESIS_HASH, chainVerifier, checkpointValid, hashRecord, signCheckpoint, type ChainedFields } from './audit-chain.js';

function chain(n: number): (ChainedFields & { hash: string })[] {
  const out: (ChainedFields & { hash: string })[] = [];
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const fields: ChainedFields = {
      chain: 'tn_1', seq: BigInt(i), at: new Date(Date.UTC(2026, 10, 26, 10, 0, i)), eventId: `ev_${i}`, tenantId: 'tn_1', keyId: 'key_1',
      actor: 'key:key_1', source: 'gateway', action: 'chat.completions.create', resource: '/v1/chat/completions', model: 'gpt-oss:120b',
      httpStatus: 200, requestId: `req_${i}`, clientAddress: '127.0.0.1', userAgent: 'OpenAI/JS', tokens: i * 10, prevHash,
    };
    const hash = hashRecord(fields);
    out.push({ ...fields, hash });
    prevHash = hash;
  }
  return out;
}

const verify = (records: ReturnType<typeof chain>, head: bigint, start = { seq: 0n, hash: GENESIS_HASH }) => {
  const verifier = chainVerifier(start);
  verifier.feed(records.slice(0, 2));
  verifier.feed(records.slice(2));
  return verifier.result(head);
};

describe('audit hash chain', () => {
  it('verifies an intact chain fed in pages', () => {
    expect(verify(chain(5), 5n)).toEqual({ ok: true, checked: 5, firstBrokenSeq: null, problem: null });
  });

  it('hashes a record without latency as before latency was recorded, and covers it once measured', () => {
    const [old] = chain(1);
    const { hash, ...fields } = old!;
    // A record written before the column existed, read back with latency_ms NULL, still verifies.
    expect(hashRecord({ ...fields, latencyMs: null })).toBe(hash);
    expect(hashRecord({ ...fields, latencyMs: undefined })).toBe(hash);
    const timed = { ...fields, latencyMs: 12.3 };
    expect(hashRecord(timed)).not.toBe(hash);
    expect(hashRecord({ ...timed, latencyMs: 1.2 })).not.toBe(hashRecord(timed));
    const records = chain(3).map((r): ChainedFields & { hash: string } => ({ ...r, latencyMs: null }));
    expect(verify(records, 3n)).toMatchObject({ ok: true, checked: 3 });
    const edited = [...records];
    edited[1] = { ...edited[1]!, latencyMs: 5 };
    expect(verify(edited, 3n)).toMatchObject({ ok: false, firstBrokenSeq: 2n });
  });

  it('detects an edited record', () => {
    const records = chain(5);
    records[2] = { ...records[2]!, httpStatus: 500 };
    expect(verify(records, 5n)).toMatchObject({ ok: false, firstBrokenSeq: 3n, problem: 'record 3 was modified after it was written' });
  });

  it('detects a record rewritten with a recomputed hash (the next link breaks)', () => {
    const records = chain(5);
    const forged = { ...records[2]!, tokens: 0 };
    records[2] = { ...forged, hash: hashRecord(forged) };
    expect(verify(records, 5n)).toMatchObject({ ok: false, firstBrokenSeq: 4n });
  });

  it('detects a deleted record in the middle and at the end', () => {
    const records = chain(5);
    expect(verify([...records.slice(0, 2), ...records.slice(3)], 5n)).toMatchObject({ ok: false, firstBrokenSeq: 3n });
    expect(verify(records.slice(0, 4), 5n)).toMatchObject({ ok: false, firstBrokenSeq: 5n, problem: 'records 5 to 5 are missing' });
  });

  it('verifies from a retention checkpoint', () => {
    const records = chain(6);
    const start = { seq: 3n, hash: records[2]!.hash };
    expect(verify(records.slice(3), 6n, start)).toMatchObject({ ok: true, checked: 3 });
    expect(verify(records.slice(4), 6n, start)).toMatchObject({ ok: false, firstBrokenSeq: 4n });
  });

  it('signs checkpoints with the server secret', () => {
    const sig = signCheckpoint('s'.repeat(32), 'tn_1', 3n, 'a'.repeat(64));
    expect(checkpointValid('s'.repeat(32), 'tn_1', 3n, 'a'.repeat(64), sig)).toBe(true);
    expect(checkpointValid('s'.repeat(32), 'tn_1', 4n, 'a'.repeat(64), sig)).toBe(false);
    expect(checkpointValid('t'.repeat(32), 'tn_1', 3n, 'a'.repeat(64), sig)).toBe(false);
  });
});
