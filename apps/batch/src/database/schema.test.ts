import { assertMigrationsMatchSchema, scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { batchDb } from './database.js';

// A scratch database, migrated with our runner, dropped after the file.
const prisma = scratchClient(batchDb, { beforeAll, afterAll });

describe('batch migrations match the Prisma schema', () => {
  it('migrations build exactly the tables, enums, keys and indexes Prisma derives from schema.prisma', () => assertMigrationsMatchSchema(batchDb), 60_000);

  it('round-trips files, a batch in every status with its three files, and a wrapped data key', async () => {
    const file = (id: string) =>
      prisma.file.create({ data: { id, tenantId: 'tn_1', purpose: 'batch', filename: `${id}.jsonl`, bytes: 10_000_000_000n, lineCount: 50_000, sha256: 'e'.repeat(64), storagePath: `/data/${id}`, expiresAt: new Date('2026-12-26T00:00:00Z') } });
    const [input, output, errors] = await Promise.all([file('file_in'), file('file_out'), file('file_err')]);
    expect(input.bytes).toBe(10_000_000_000n);
    const batch = await prisma.batch.create({
      data: {
        id: 'batch_1', tenantId: 'tn_1', keyId: 'key_1', endpoint: '/v1/chat/completions', completionWindow: '24h', inputFileId: input.id,
        outputFileId: output.id, errorFileId: errors.id, totalCount: 3, completedCount: 2, failedCount: 1, metadata: { project: 'x', n: 1 },
        webhookUrl: 'https://acme.test/batch', errors: { data: [{ line: 2, code: 'invalid_json' }] }, expiresAt: new Date('2026-11-27T00:00:00Z'),
        inProgressAt: new Date(), finalizingAt: new Date(), completedAt: new Date(), failedAt: null, expiredAt: null, cancellingAt: null, cancelledAt: null,
      },
    });
    for (const status of ['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled'] as const) {
      await prisma.batch.update({ where: { id: batch.id }, data: { status } });
    }
    const loaded = await prisma.batch.findUniqueOrThrow({ where: { id: batch.id }, include: { inputFile: true, outputFile: true, errorFile: true } });
    expect(loaded).toMatchObject({ status: 'cancelled', metadata: { project: 'x', n: 1 } });
    expect(loaded.outputFile?.id).toBe(output.id);
    // The input of a batch cannot be deleted from under it; its output can (the link is cleared).
    await expect(prisma.file.delete({ where: { id: input.id } })).rejects.toThrow();
    await prisma.file.delete({ where: { id: output.id } });
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).outputFileId).toBeNull();

    const key = await prisma.tenantDataKey.create({ data: { tenantId: 'tn_1', wrappedKey: new Uint8Array([1, 2, 3, 255]), masterKeyId: 'mk_1' } });
    expect([...key.wrappedKey]).toEqual([1, 2, 3, 255]);
    await prisma.tenantDataKey.update({ where: { tenantId: 'tn_1' }, data: { rewrappedAt: new Date(), masterKeyId: 'mk_2' } });
    expect((await prisma.tenantDataKey.findUniqueOrThrow({ where: { tenantId: 'tn_1' } })).masterKeyId).toBe('mk_2');
    await prisma.batch.deleteMany({});
    await prisma.file.deleteMany({});
    await prisma.tenantDataKey.deleteMany({});
  });
});
