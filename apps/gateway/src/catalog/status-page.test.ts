import { type CatalogModel } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { renderStatusHtml, statusRows, wantsJson } from './status-page.js';

const model = (id: string, phase: CatalogModel['phase'], endOfSupportDate: string | null, over: Partial<CatalogModel> = {}): CatalogModel => ({
  id, publisher: 'P', kind: 'chat', paramsBillion: 1, contextLength: 8192, reasoning: false, productionDate: '2026-01-01', endOfSupportDate, noticeStartDate: null,
  lts: false, recommendedMigration: null, stability: 'stable', phase, vramMiB: 600, withdrawnAt: null, withdrawnReason: null, enabledTenants: [], updatedAt: '2026-11-26T00:00:00Z', ...over,
});

describe('statusRows', () => {
  it('puts upcoming removals first, then open-ended models, then removed ones (latest first), and hides beta models', () => {
    const rows = statusRows([
      model('late', 'production', '2027-12-30'),
      model('old', 'removed', '2025-01-01'),
      model('soon', 'notice', '2026-12-30'),
      model('recent', 'removed', '2026-09-30'),
      model('open', 'evaluation', null),
      model('beta', 'production', '2026-12-01', { stability: 'experimental' }),
    ]);
    expect(rows.map((r) => r.id)).toEqual(['soon', 'late', 'open', 'recent', 'old']);
  });
});

describe('wantsJson', () => {
  it('answers JSON to API clients and HTML to browsers', () => {
    expect(wantsJson('application/json', undefined)).toBe(true);
    expect(wantsJson('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', undefined)).toBe(false);
    expect(wantsJson(undefined, undefined)).toBe(false);
    expect(wantsJson('text/html', 'json')).toBe(true);
  });
});

describe('renderStatusHtml', () => {
  it('escapes what it prints', () => {
    const html = renderStatusHtml(statusRows([model('<script>x</script>', 'production', null)]), '2026-11-26T00:00:00Z');
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&#60;script&#62;x');
  });
});
