import { type CatalogModel } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { lifecycleHeaders, unavailableModel } from './lifecycle-headers.js';

const model = (over: Partial<CatalogModel>): CatalogModel => ({
  id: 'bge-reranker-large', publisher: 'BAAI', kind: 'rerank', paramsBillion: 0.56, contextLength: 8192, reasoning: false, productionDate: '2026-05-13',
  endOfSupportDate: '2026-12-30', noticeStartDate: '2026-09-30', lts: false, recommendedMigration: 'qwen3-reranker:4b', stability: 'stable', phase: 'notice', vramMiB: 321, updatedAt: '2026-11-26T00:00:00Z', ...over,
});

describe('lifecycle headers', () => {
  it('announces deprecation, sunset and successor for a model in its notice period', () => {
    expect(lifecycleHeaders(model({}))).toEqual({
      deprecation: `@${Date.UTC(2026, 8, 30) / 1000}`,
      sunset: 'Wed, 30 Dec 2026 00:00:00 GMT',
      link: '</status/lifecycle>; rel="deprecation"; type="text/html", </v1/models/qwen3-reranker:4b>; rel="successor-version"',
    });
  });

  it('adds nothing for models in production', () => {
    expect(lifecycleHeaders(model({ phase: 'production' }))).toEqual({});
  });
});

describe('unavailableModel', () => {
  it('is 404 for unknown and hidden beta models, 410 naming the migration for removed ones', () => {
    expect(unavailableModel('x', undefined, false)?.status).toBe(404);
    expect(unavailableModel('x', model({ stability: 'experimental', phase: 'production' }), false)?.code).toBe('model_not_found');
    expect(unavailableModel('x', model({ stability: 'experimental', phase: 'production' }), true)).toBeNull();
    const gone = unavailableModel('cogito:32b', model({ id: 'cogito:32b', phase: 'removed', endOfSupportDate: '2026-06-30', recommendedMigration: 'gpt-oss:120b' }), false);
    expect(gone).toMatchObject({ status: 410, code: 'model_deprecated' });
    expect(gone?.message).toBe("The model 'cogito:32b' was removed on 2026-06-30. Use 'gpt-oss:120b' instead.");
  });
});
