import { RpcFailure } from '@llmaas/kafka';
import { describe, expect, it } from 'vitest';

import { checkModelChange, earliestEndOfSupport, type CatalogEntry, type LifecycleDates } from './change-rules.js';

const today = '2026-11-26';
const catalog: CatalogEntry[] = [
  { id: 'gpt-oss:120b', phase: 'production' },
  { id: 'bge-reranker-large', phase: 'notice' },
  { id: 'cogito:32b', phase: 'removed' },
  { id: 'new:1b', phase: 'evaluation' },
];
const dates = (over: Partial<LifecycleDates> = {}): LifecycleDates => ({ productionDate: '2026-01-22', endOfSupportDate: '2027-12-30', lts: false, recommendedMigration: null, ...over });

function failure(run: () => void): { param: string | null; message: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!(error instanceof RpcFailure)) throw error;
    expect(error.code).toBe('invalid_request');
    return { param: error.param, message: error.message };
  }
}

describe('earliestEndOfSupport', () => {
  it('is three calendar months ahead, month ends included', () => {
    expect(earliestEndOfSupport('2026-11-26')).toBe('2027-02-26');
    // 30 Nov + 3 months is clamped to 28 Feb, whose notice would start on 28 Nov: too early.
    expect(earliestEndOfSupport('2026-11-30')).toBe('2027-03-01');
  });
});

describe('checkModelChange', () => {
  it('refuses an end of support before the production date', () => {
    expect(failure(() => checkModelChange('m', null, dates({ productionDate: '2027-01-01', endOfSupportDate: '2026-12-01' }), catalog, today))?.param).toBe('endOfSupportDate');
  });

  it('accepts a deprecation with the full notice and refuses a shorter one, pointing at withdrawal', () => {
    expect(failure(() => checkModelChange('m', dates(), dates({ endOfSupportDate: '2027-02-26' }), catalog, today))).toBeNull();
    const short = failure(() => checkModelChange('m', dates(), dates({ endOfSupportDate: '2027-02-25' }), catalog, today));
    expect(short?.param).toBe('endOfSupportDate');
    expect(short?.message).toContain('earliest is 2027-02-26');
    expect(short?.message).toContain('withdraw');
    // Setting an end of support where there was none is a deprecation too.
    expect(failure(() => checkModelChange('m', dates({ endOfSupportDate: null }), dates({ endOfSupportDate: '2027-01-01' }), catalog, today))?.param).toBe('endOfSupportDate');
  });

  it('lets any end of support move later (extended support), LTS included', () => {
    expect(failure(() => checkModelChange('m', dates({ lts: true }), dates({ lts: true, endOfSupportDate: '2029-06-30' }), catalog, today))).toBeNull();
    expect(failure(() => checkModelChange('m', dates({ endOfSupportDate: '2026-06-30' }), dates({ endOfSupportDate: '2027-06-30' }), catalog, today))).toBeNull();
  });

  it('keeps LTS dates: an LTS end of support never moves earlier', () => {
    const lts = failure(() => checkModelChange('m', dates({ lts: true }), dates({ lts: true, endOfSupportDate: '2027-09-30' }), catalog, today));
    expect(lts?.param).toBe('endOfSupportDate');
    expect(lts?.message).toContain('LTS');
  });

  it('needs no notice for a model never in production, nor for a new one', () => {
    const evaluation = dates({ productionDate: '2027-01-10', endOfSupportDate: '2027-06-30' });
    expect(failure(() => checkModelChange('m', evaluation, { ...evaluation, endOfSupportDate: '2027-01-31' }, catalog, today))).toBeNull();
    expect(failure(() => checkModelChange('m', null, dates({ productionDate: '2025-01-01', endOfSupportDate: '2026-12-20' }), catalog, today))).toBeNull();
  });

  it('keeps the production date of a model in production and never backdates a promotion', () => {
    expect(failure(() => checkModelChange('m', dates(), dates({ productionDate: '2026-02-01' }), catalog, today))?.param).toBe('productionDate');
    const evaluation = dates({ productionDate: null });
    expect(failure(() => checkModelChange('m', evaluation, dates({ productionDate: '2026-11-20' }), catalog, today))?.param).toBe('productionDate');
    expect(failure(() => checkModelChange('m', evaluation, dates({ productionDate: today }), catalog, today))).toBeNull();
    expect(failure(() => checkModelChange('m', evaluation, dates({ productionDate: '2027-01-05' }), catalog, today))).toBeNull();
  });

  it('accepts a migration to a served model only', () => {
    const to = (recommendedMigration: string) => failure(() => checkModelChange('m', dates(), dates({ recommendedMigration }), catalog, today));
    expect(to('gpt-oss:120b')).toBeNull();
    expect(to('bge-reranker-large')).toBeNull();
    expect(to('unknown:7b')).toMatchObject({ param: 'recommendedMigration', message: expect.stringContaining('not a model') as string });
    expect(to('cogito:32b')).toMatchObject({ param: 'recommendedMigration', message: expect.stringContaining('removed') as string });
    expect(to('new:1b')?.param).toBe('recommendedMigration');
    expect(to('m')?.param).toBe('recommendedMigration');
  });

  it('does not re-check an unchanged migration whose target has since been removed', () => {
    const before = dates({ recommendedMigration: 'cogito:32b' });
    expect(failure(() => checkModelChange('m', before, { ...before, lts: true }, catalog, today))).toBeNull();
  });
});
