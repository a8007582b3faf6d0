import { type CatalogModel } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { lifecycleHeaders, unavailableModel, visibleTo } from './lifecycle-headers.js';

const model = (over: Partial<CatalogModel>): CatalogModel => ({
  id: 'bge-reranker-large', publisher: 'BAAI', kind: 'rerank', paramsBillion: 0.56, contextLength: 8192, reasoning: false, productionDate: '2026-05-13',
  endOfSupportDate: '2026-12-30', noticeStartDate: '2026-09-30', lts: false, recommendedMigration: 'qwen3-reranker:4b', stability: 'stable', phase: 'notice', vramMiB: 321,
  withdrawnAt: null, withdrawnReason: null, enabledTenants: [], updatedAt: '2026-11-26T00:00:00Z', ...over,
});
const acme = { tenantId: 'acme', betaOptIn: false };
const betaAcme = { tenantId: 'acme', betaOptIn: true };

describe('lifecycle headers', () => {
  it('announces deprecation, sunset and successor for a model in its notice period', () => {
    expect(lifecycleHeaders(model({}))).toEqual({
      deprecation: `@${Date.UTC(2026, 8, 30) / 1000}`,
      sunset: 'Wed, 30 Dec 2026 00:00:00 GMT',
      link: '</status/lifecycle>; rel="deprecation"; type="text/html", </v1/models/qwen3-reranker:4b>; rel="successor-version"',
    });
  });

  it('adds nothing for models in production or evaluation', () => {
    expect(lifecycleHeaders(model({ phase: 'production' }))).toEqual({});
    expect(lifecycleHeaders(model({ phase: 'evaluation' }))).toEqual({});
  });

  it('keeps announcing a removed model served to a re-enabled tenant (its sunset is past)', () => {
    expect(lifecycleHeaders(model({ phase: 'removed', endOfSupportDate: '2026-06-30', noticeStartDate: '2026-03-30' })).sunset).toBe('Tue, 30 Jun 2026 00:00:00 GMT');
  });
});

describe('visibility and unavailableModel', () => {
  it('is 404 for unknown models, and for evaluation or beta models without the opt-in', () => {
    expect(unavailableModel('x', undefined, acme)).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    expect(unavailableModel('x', model({ stability: 'experimental', phase: 'production' }), acme)?.code).toBe('model_not_found');
    expect(unavailableModel('x', model({ stability: 'experimental', phase: 'production' }), betaAcme)).toBeNull();
    expect(unavailableModel('x', model({ phase: 'evaluation' }), acme)?.status).toBe(404);
    expect(unavailableModel('x', model({ phase: 'evaluation' }), betaAcme)).toBeNull();
  });

  it('is 410 naming the migration for a removed model, or the reason for a withdrawn one', () => {
    const gone = unavailableModel('cogito:32b', model({ id: 'cogito:32b', phase: 'removed', endOfSupportDate: '2026-06-30', recommendedMigration: 'gpt-oss:120b' }), acme);
    expect(gone).toMatchObject({ status: 410, code: 'model_deprecated', param: 'model' });
    expect(gone?.message).toBe("The model 'cogito:32b' was removed on 2026-06-30. Use 'gpt-oss:120b' instead.");
    const withdrawn = unavailableModel('m', model({ phase: 'removed', withdrawnAt: '2026-11-26T09:00:00.000Z', withdrawnReason: 'CVE-2026-1234', recommendedMigration: 'gpt-oss:120b' }), acme);
    expect(withdrawn?.message).toBe("The model 'm' was withdrawn on 2026-11-26 (CVE-2026-1234). Use 'gpt-oss:120b' instead.");
  });

  it('serves a removed model to the tenants it was re-enabled for, and to them only', () => {
    const reenabled = model({ phase: 'removed', enabledTenants: ['acme'] });
    expect(unavailableModel('m', reenabled, acme)).toBeNull();
    expect(unavailableModel('m', reenabled, { tenantId: 'globex', betaOptIn: true })?.status).toBe(410);
    expect(visibleTo(reenabled, acme)).toBe(true);
    expect(visibleTo(reenabled, { tenantId: 'globex', betaOptIn: false })).toBe(false);
  });
});
