import { describe, expect, it } from 'vitest';

import { recommendedMigration, type MigrationCandidate } from './migration-rule.js';
import { nextCheckDelay, noticeStart, phaseOn } from './phase.js';

const model = (productionDate: string | null, endOfSupportDate: string | null, withdrawnAt: string | null = null) => ({ productionDate, endOfSupportDate, withdrawnAt });

describe('phaseOn', () => {
  it('derives each phase from the dates', () => {
    const m = model('2026-01-22', '2026-12-30');
    expect(phaseOn(m, '2026-01-21')).toBe('evaluation');
    expect(phaseOn(m, '2026-01-22')).toBe('production');
    expect(phaseOn(m, '2026-09-29')).toBe('production');
    expect(phaseOn(m, '2026-09-30')).toBe('notice');
    expect(phaseOn(m, '2026-12-29')).toBe('notice');
    expect(phaseOn(m, '2026-12-30')).toBe('removed');
    expect(phaseOn(model(null, null), '2026-11-26')).toBe('evaluation');
  });

  it('gives the catalog its phases on 2026-11-26', () => {
    const today = '2026-11-26';
    expect(phaseOn(model('2025-06-13', '2026-06-30'), today)).toBe('removed'); // cogito:32b, past its DSP
    expect(phaseOn(model('2026-02-02', '2026-09-30'), today)).toBe('removed'); // devstral-small-2:24b
    expect(phaseOn(model('2026-05-13', '2026-12-30'), today)).toBe('notice'); // bge-reranker-large
    expect(phaseOn(model('2026-05-13', '2027-06-30'), today)).toBe('production'); // nvidia rerank
    expect(phaseOn(model('2025-11-11', '2027-12-30'), today)).toBe('production'); // gpt-oss:120b (LTS)
  });

  it('removes a withdrawn model at once, skipping the notice', () => {
    expect(phaseOn(model('2025-11-11', '2027-12-30', '2026-11-26T08:00:00Z'), '2026-11-26')).toBe('removed');
    expect(phaseOn(model('2025-11-11', '2027-12-30', '2026-11-27T08:00:00Z'), '2026-11-26')).toBe('production');
  });

  it('starts the notice three calendar months before the end of support, clamping month ends', () => {
    expect(noticeStart('2026-12-30')).toBe('2026-09-30');
    expect(noticeStart('2027-05-31')).toBe('2027-02-28');
    expect(noticeStart('2026-02-15')).toBe('2025-11-15');
  });
});

describe('recommendedMigration', () => {
  const c = (id: string, kind: string, paramsBillion: number, endOfSupportDate: string | null, phase: MigrationCandidate['phase'], recommendedMigration: string | null = null): MigrationCandidate => ({ id, kind, paramsBillion, endOfSupportDate, phase, recommendedMigration });
  const catalog = [
    c('gpt-oss:120b', 'chat', 120, '2027-12-30', 'production'),
    c('llama3.3:70b', 'chat', 70, '2027-12-30', 'production'),
    c('qwen3:0.6b', 'chat', 0.6, '2026-12-30', 'notice'),
    c('bge-m3:567m', 'embedding', 0.567, '2027-12-30', 'production'),
    c('old-embed', 'embedding', 0.3, '2026-06-30', 'removed'),
  ];

  it('keeps the catalog recommendation while that model is served', () => {
    expect(recommendedMigration(c('cogito:32b', 'chat', 32, '2026-06-30', 'removed', 'gpt-oss:120b'), catalog)).toBe('gpt-oss:120b');
  });

  it('otherwise picks the same kind with the latest end of support, then the closest size', () => {
    expect(recommendedMigration(c('gemma3:27b', 'chat', 27, '2026-06-30', 'removed'), catalog)).toBe('llama3.3:70b');
    expect(recommendedMigration(c('embeddinggemma:300m', 'embedding', 0.3, '2026-06-30', 'removed'), catalog)).toBe('bge-m3:567m');
    expect(recommendedMigration(c('x', 'chat', 100, null, 'removed', 'old-embed'), catalog)).toBe('gpt-oss:120b');
    expect(recommendedMigration(c('z-image:16b', 'image-generation', 16, '2026-12-30', 'removed'), catalog)).toBeNull();
  });
});

describe('nextCheckDelay', () => {
  it('wakes just after midnight UTC when that comes before the interval', () => {
    expect(nextCheckDelay(new Date('2026-11-26T23:59:00Z'), 3_600_000)).toBe(61_000);
    expect(nextCheckDelay(new Date('2026-11-26T10:00:00Z'), 3_600_000)).toBe(3_600_000);
  });
});
