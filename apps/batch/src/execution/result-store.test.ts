import { randomBytes } from 'node:crypto';

import { scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type BatchConfig } from '../batch.config.js';
import { batchDb } from '../database/database.js';
import { DataKeys } from '../storage/data-keys.service.js';
import { ResultStore, type LineResult } from './result-store.js';

// A scratch database (real Postgres), migrated with our runner, dropped after the file.
const prisma = scratchClient(batchDb, { beforeAll, afterAll });

const result = (line: number, outcome: 'output' | 'error' = 'output'): LineResult => ({
  line,
  customId: `c-${line}`,
  outcome,
  text: `{"custom_id":"c-${line}","secret":"PLAIN-${line}"}`,
  inputTokens: outcome === 'output' ? 10 : 0,
  outputTokens: outcome === 'output' ? 5 : 0,
  reasoningTokens: 0,
  // No usage events here: publishing is the e2e tests' (real Kafka) business.
  usage: null,
});

let store: ResultStore;
let batchNo = 0;

async function newBatch(total: number): Promise<string> {
  const id = `batch_rs_${++batchNo}`;
  await prisma.file.upsert({ where: { id: 'file-rs' }, create: { id: 'file-rs', tenantId: 'tn_rs', purpose: 'batch', filename: 'in.jsonl', bytes: 1n, sha256: 'a'.repeat(64), storagePath: '/x' }, update: {} });
  await prisma.batch.create({ data: { id, tenantId: 'tn_rs', keyId: 'key_1', endpoint: '/v1/chat/completions', completionWindow: '24h', inputFileId: 'file-rs', status: 'in_progress', totalCount: total, expiresAt: new Date(Date.now() + 86_400_000) } });
  return id;
}

beforeAll(() => {
  const keys = new DataKeys(prisma, { BATCH_MASTER_KEYS: `mk1:${randomBytes(32).toString('hex')}` } as BatchConfig);
  store = new ResultStore(prisma, keys, null as never);
});

describe('line results (Postgres)', () => {
  it('writes each line once: a retried line changes neither the rows nor the counts', async () => {
    const id = await newBatch(4);
    expect(await store.write(id, 'tn_rs', [result(1), result(2), result(3, 'error')])).toBe(true);
    expect(await store.write(id, 'tn_rs', [result(2), result(3, 'error'), result(4)])).toBe(true);
    const batch = await prisma.batch.findUniqueOrThrow({ where: { id } });
    expect({ completed: batch.completedCount, failed: batch.failedCount, input: batch.inputTokens, output: batch.outputTokens }).toEqual({ completed: 3, failed: 1, input: 30n, output: 15n });
    expect([...(await store.doneLines(id, 2, 4))].sort()).toEqual([2, 3, 4]);
    const read = [];
    for await (const r of store.inOrder(id, 'tn_rs')) read.push(r);
    expect(read.map((r) => [r.line, r.outcome])).toEqual([[1, 'output'], [2, 'output'], [3, 'error'], [4, 'output']]);
    expect(read[0]!.text).toBe(result(1).text);
    // Stored encrypted with the tenant's data key, not as the plaintext line.
    const raw = await prisma.batchResult.findUniqueOrThrow({ where: { batchId_line: { batchId: id, line: 1 } } });
    expect(Buffer.from(raw.payload).includes(Buffer.from('PLAIN-1'))).toBe(false);
  });

  it('refuses results once the batch is sealed, even racing with the seal: the counts are the rows', async () => {
    const id = await newBatch(400);
    const writes = Array.from({ length: 40 }, (_, i) => store.write(id, 'tn_rs', Array.from({ length: 10 }, (_, j) => result(i * 10 + j + 1))));
    const seal = new Promise((resolve) => setTimeout(resolve, 5)).then(() => prisma.batch.update({ where: { id }, data: { sealedAt: new Date() } }));
    const outcomes = await Promise.all(writes);
    await seal;
    const rows = await prisma.batchResult.count({ where: { batchId: id } });
    const batch = await prisma.batch.findUniqueOrThrow({ where: { id } });
    expect(batch.completedCount).toBe(rows);
    expect(rows).toBe(outcomes.filter(Boolean).length * 10);
    expect(await store.write(id, 'tn_rs', [result(401)])).toBe(false);
    expect(await prisma.batchResult.count({ where: { batchId: id } })).toBe(rows);
  });
});
