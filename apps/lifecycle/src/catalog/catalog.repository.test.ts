import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { lifecycleDb } from '../database/database.js';
import { parseCatalogCsv, parseDeprecatedCsv } from './catalog-seed.js';
import { catalogView } from './catalog-view.js';
import { CatalogRepository } from './catalog.repository.js';

// The product's own tables (../shared/data), imported into a scratch database.
const seedDir = process.env.CATALOG_SEED_DIR ?? join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'data');
const prisma = scratchClient(lifecycleDb, { beforeAll, afterAll });
const repository = new CatalogRepository(prisma);

async function seed() {
  const live = parseCatalogCsv(await readFile(join(seedDir, 'model-catalog.csv'), 'utf8'));
  const removed = parseDeprecatedCsv(await readFile(join(seedDir, 'deprecated-models.csv'), 'utf8'));
  return [...live, ...removed];
}

describe('catalog import and view on the product tables', () => {
  it('imports the seed once: a second import inserts nothing and keeps an operator\'s change', async () => {
    const models = await seed();
    expect(await repository.importSeed(models)).toBe(models.length);
    await repository.update('gemma4:31b', { endOfSupportDate: '2027-06-30' });
    expect(await repository.importSeed(models)).toBe(0);
    expect(await prisma.catalogModel.count()).toBe(models.length);
    const kept = await prisma.catalogModel.findUniqueOrThrow({ where: { id: 'gemma4:31b' } });
    expect(kept.endOfSupportDate?.toISOString().slice(0, 10)).toBe('2027-06-30');
    await repository.update('gemma4:31b', { endOfSupportDate: '2026-12-30' });
  });

  it('derives the phases of 2026-11-26: past their DSP removed, the December ones in notice, LTS in production', async () => {
    const view = new Map(catalogView(await repository.all(), '2026-11-26').map((m) => [m.id, m]));
    expect(view.get('cogito:32b')).toMatchObject({ phase: 'removed', recommendedMigration: 'gpt-oss:120b' });
    expect(view.get('devstral-small-2:24b')?.phase).toBe('removed');
    expect(view.get('bge-reranker-large')).toMatchObject({ phase: 'notice', noticeStartDate: '2026-09-30' });
    expect(view.get('qwen3:0.6b')).toMatchObject({ phase: 'notice', lts: true });
    expect(view.get('gpt-oss:120b')).toMatchObject({ phase: 'production', lts: true });
    expect(view.get('nvidia/llama-nemotron-rerank-vl-1b-v2')?.phase).toBe('production');
    expect(view.get('qwen3:8b')?.phase).toBe('removed');
    // Every removed model names a served model of its kind to move to, where one exists.
    for (const m of view.values()) {
      if (m.phase !== 'removed' || !m.recommendedMigration) continue;
      const target = view.get(m.recommendedMigration);
      expect(['production', 'notice']).toContain(target?.phase);
    }
    // A year later, only the 2027 end-of-support models are still served.
    const later = catalogView(await repository.all(), '2027-11-26').filter((m) => m.phase !== 'removed');
    expect(later.map((m) => m.endOfSupportDate).every((d) => d === '2027-12-30')).toBe(true);
  });

  it('creates, withdraws and grants: the view carries the withdrawal and the re-enabled tenants', async () => {
    expect(await repository.create({ id: 'ours:7b', publisher: 'Us', kind: 'chat', paramsBillion: 7, contextLength: 32768, reasoning: false, lts: false, stability: 'stable', productionDate: null, endOfSupportDate: null, recommendedMigration: null })).toBe(true);
    expect(await repository.create({ id: 'ours:7b', publisher: 'Us', kind: 'chat', paramsBillion: 7, contextLength: 32768, reasoning: false, lts: false, stability: 'stable', productionDate: null, endOfSupportDate: null, recommendedMigration: null })).toBe(false);
    await repository.withdraw('ours:7b', new Date('2026-11-26T10:00:00Z'), 'CVE');
    await repository.grant('ours:7b', 'acme', 'key:op', 'legacy');
    await repository.grant('ours:7b', 'acme', 'key:op', 'legacy, renewed');
    const view = catalogView(await repository.all(), '2026-11-26').find((m) => m.id === 'ours:7b');
    expect(view).toMatchObject({ phase: 'removed', withdrawnReason: 'CVE', enabledTenants: ['acme'], vramMiB: 4006 });
    expect(await repository.revokeGrant('ours:7b', 'acme')).toBe(true);
    expect(await repository.revokeGrant('ours:7b', 'acme')).toBe(false);
  });
});
