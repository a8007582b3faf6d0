import { type CatalogModel } from '@llmaas/contracts';

export interface StatusRow {
  id: string;
  publisher: string;
  kind: string;
  phase: CatalogModel['phase'];
  production_date: string | null;
  end_of_support_date: string | null;
  notice_start_date: string | null;
  lts: boolean;
  recommended_migration: string | null;
  withdrawn_at: string | null;
}

const rank = (m: CatalogModel) => (m.phase === 'removed' ? 2 : m.endOfSupportDate ? 0 : 1);

/**
 * The public lifecycle table: upcoming removals first (soonest end of support first), then models
 * with no end of support, then those already removed (most recent first). Beta models are not
 * public (only opted-in tenants see them).
 */
export function statusRows(models: readonly CatalogModel[]): StatusRow[] {
  return models
    .filter((m) => m.stability === 'stable')
    .sort((a, b) => {
      const byRank = rank(a) - rank(b);
      if (byRank !== 0) return byRank;
      const eos = (a.endOfSupportDate ?? '').localeCompare(b.endOfSupportDate ?? '');
      return (rank(a) === 2 ? -eos : eos) || a.id.localeCompare(b.id);
    })
    .map((m) => ({
      id: m.id,
      publisher: m.publisher,
      kind: m.kind,
      phase: m.phase,
      production_date: m.productionDate,
      end_of_support_date: m.endOfSupportDate,
      notice_start_date: m.noticeStartDate,
      lts: m.lts,
      recommended_migration: m.recommendedMigration,
      withdrawn_at: m.withdrawnAt,
    }));
}

/** JSON when the client asks for it and not for HTML (browsers ask for HTML). */
export function wantsJson(accept: string | undefined, format: string | undefined): boolean {
  if (format) return format === 'json';
  const value = (accept ?? '').toLowerCase();
  return value.includes('application/json') && !value.includes('text/html');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const phaseLabel: Record<StatusRow['phase'], string> = {
  evaluation: 'Evaluation',
  production: 'Production',
  notice: 'Deprecated — in notice',
  removed: 'Removed',
};

/** A self-contained page (no script, no external asset): readable anywhere, printable, accessible. */
export function renderStatusHtml(rows: readonly StatusRow[], generatedAt: string): string {
  const cell = (value: string | null) => `<td>${value === null ? '<span class="none">—</span>' : escapeHtml(value)}</td>`;
  const body = rows
    .map((r) => {
      const removal = r.withdrawn_at ? `${r.withdrawn_at.slice(0, 10)} (withdrawn)` : r.end_of_support_date;
      return `<tr class="${r.phase}"><th scope="row"><code>${escapeHtml(r.id)}</code></th>${cell(r.publisher)}${cell(r.kind)}<td><span class="phase ${r.phase}">${phaseLabel[r.phase]}</span></td>${cell(r.production_date)}${cell(removal)}${cell(r.notice_start_date)}${cell(r.lts ? 'Yes' : 'No')}${cell(r.recommended_migration)}</tr>`;
    })
    .join('\n');
  const notice = rows.filter((r) => r.phase === 'notice').length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LLMaaS Status — Lifecycle</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}p{margin:.25rem 0 1rem;color:#444}
.wrap{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.4rem .6rem;border-bottom:1px solid #ddd;text-align:left;white-space:nowrap}
thead th{background:#f3f4f6;position:sticky;top:0}
.phase{padding:.1rem .45rem;border-radius:.6rem;font-size:.8rem}
.phase.production{background:#dcfce7}.phase.evaluation{background:#e0e7ff}.phase.notice{background:#fef3c7}.phase.removed{background:#fee2e2}
tr.removed{color:#666}.none{color:#999}
</style>
</head>
<body>
<main>
<h1>Lifecycle</h1>
<p>Every public model with its phase and dates, upcoming removals first. A model is removed on its end-of-support date (DSP),
announced 3 months ahead; calls during the notice carry <code>Deprecation</code>, <code>Sunset</code> and <code>Link</code> headers.
${notice} model${notice === 1 ? '' : 's'} in notice. Generated ${escapeHtml(generatedAt)}. Also as JSON: <code>Accept: application/json</code>.</p>
<div class="wrap">
<table>
<caption class="none">Model lifecycle schedule</caption>
<thead><tr><th scope="col">Model</th><th scope="col">Publisher</th><th scope="col">Kind</th><th scope="col">Phase</th><th scope="col">Production (DMP)</th><th scope="col">End of support (DSP)</th><th scope="col">Notice from</th><th scope="col">LTS</th><th scope="col">Recommended migration</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</div>
</main>
</body>
</html>
`;
}
