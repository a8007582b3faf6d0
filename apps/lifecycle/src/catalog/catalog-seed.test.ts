import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { paramsFromName, parseCatalogCsv, parseDeprecatedCsv, vramMiBFor } from './catalog-seed.js';
import { phaseOn } from './phase.js';

// The product's own tables, read where they live (../shared/data beside the repository).
const dataDir = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'data');
const catalog = parseCatalogCsv(readFileSync(join(dataDir, 'model-catalog.csv'), 'utf8'));
const deprecated = parseDeprecatedCsv(readFileSync(join(dataDir, 'deprecated-models.csv'), 'utf8'));

describe('seed CSVs', () => {
  it('parses every production model with its kind, dates and VRAM need', () => {
    expect(catalog).toHaveLength(58);
    const gptOss = catalog.find((m) => m.id === 'gpt-oss:120b');
    expect(gptOss).toMatchObject({ publisher: 'OpenAI', kind: 'chat', lts: true, productionDate: '2025-11-11', endOfSupportDate: '2027-12-30', reasoning: true });
    expect(gptOss?.vramMiB).toBe(vramMiBFor(120));
    expect(catalog.find((m) => m.id === 'cogito:32b')?.recommendedMigration).toBe('gpt-oss:120b');
    expect(new Set(catalog.map((m) => m.id)).size).toBe(catalog.length);
  });

  it('parses the deprecated models as removed, with sizes read from their tags', () => {
    expect(deprecated.length).toBeGreaterThan(30);
    expect(deprecated.every((m) => phaseOn({ ...m, withdrawnAt: null }, '2026-11-26') === 'removed')).toBe(true);
    expect(deprecated.find((m) => m.id === 'qwen2.5:0.5b')?.paramsBillion).toBe(0.5);
  });

  it('on 2026-11-26 has models removed, in notice, and in production', () => {
    const phases = catalog.map((m) => phaseOn({ ...m, withdrawnAt: null }, '2026-11-26'));
    expect(phases.filter((p) => p === 'removed').length).toBeGreaterThan(0);
    expect(phases.filter((p) => p === 'notice').length).toBeGreaterThan(0);
    expect(phases.filter((p) => p === 'production').length).toBeGreaterThan(0);
  });

  it('reads parameter counts from tags and refuses malformed rows', () => {
    expect(paramsFromName('qwen3:14b')).toBe(14);
    expect(paramsFromName('embeddinggemma:300m')).toBe(0.3);
    expect(paramsFromName('qwen3-2507-think:4b')).toBe(4);
    expect(paramsFromName('deepseek-ocr')).toBeNull();
    expect(() => parseCatalogCsv('model,kind,params_billion\nx,chat')).toThrow(/line 2/);
    expect(() => parseDeprecatedCsv('model,phase,deprecation_date,kind\nx,Deprecated,30/03/2026,chat')).toThrow(/not an ISO date/);
    expect(() => parseDeprecatedCsv('model,phase,deprecation_date,kind\nx,Deprecated,2026-03-30,video')).toThrow(/unknown kind/);
  });
});
