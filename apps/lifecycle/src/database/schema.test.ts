import { assertMigrationsMatchSchema, scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { lifecycleDb } from './database.js';

// A scratch database, migrated with our runner, dropped after the file.
const prisma = scratchClient(lifecycleDb, { beforeAll, afterAll });

describe('lifecycle migrations match the Prisma schema', () => {
  it('migrations build exactly the tables, enums, keys and indexes Prisma derives from schema.prisma', () => assertMigrationsMatchSchema(lifecycleDb), 60_000);

  it('round-trips a catalog model, every kind, and a tenant grant', async () => {
    const kinds = ['chat', 'chat_vision', 'embedding', 'rerank', 'audio_transcription', 'ocr', 'guard', 'translation', 'image_generation'] as const;
    for (const [i, kind] of kinds.entries()) {
      await prisma.catalogModel.create({ data: { id: `m${i}`, publisher: 'Test', kind, paramsBillion: '0.567', contextLength: 8192, vramMiB: 512 } });
    }
    const model = await prisma.catalogModel.create({
      data: {
        id: 'gpt-oss:120b', publisher: 'OpenAI', kind: 'chat', paramsBillion: '120', contextLength: 131072, reasoning: true,
        productionDate: new Date('2025-11-11'), endOfSupportDate: new Date('2027-12-30'), lts: true, recommendedMigration: null,
        stability: 'experimental', vramMiB: 68_665, withdrawnAt: null, withdrawnReason: null,
      },
    });
    expect(model.endOfSupportDate?.toISOString().slice(0, 10)).toBe('2027-12-30');
    await prisma.tenantModelGrant.create({ data: { tenantId: 'tn_1', modelId: model.id, grantedBy: 'operator', reason: 'legacy project' } });
    const loaded = await prisma.catalogModel.findUniqueOrThrow({ where: { id: model.id }, include: { grants: true } });
    expect(loaded.grants).toHaveLength(1);
    expect(loaded.paramsBillion.toString()).toBe('120');
    await expect(prisma.tenantModelGrant.create({ data: { tenantId: 'tn_1', modelId: 'missing', grantedBy: 'operator' } })).rejects.toThrow();
    await prisma.catalogModel.update({ where: { id: model.id }, data: { withdrawnAt: new Date(), withdrawnReason: 'security flaw' } });
    await prisma.catalogModel.delete({ where: { id: model.id } });
    expect(await prisma.tenantModelGrant.count()).toBe(0);
    await prisma.catalogModel.deleteMany({});
  });
});
