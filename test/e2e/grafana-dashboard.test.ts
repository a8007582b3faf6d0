import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from '../support/platform.js';

// The Grafana dashboard of infra/monitoring/grafana/: its structure, then every query it makes,
// run against the platform's Prometheus (infra/start.sh) as Grafana would send it.

const prometheusUrl = `http://127.0.0.1:${process.env.PROMETHEUS_PORT ?? '19090'}`;
const file = join(repoRoot, 'infra', 'monitoring', 'grafana', 'llmaas-dashboard.json');

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { h?: number; w?: number; x?: number; y?: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  type: string;
  name: string;
  query?: string | { query?: string };
  allValue?: string;
}
interface Dashboard {
  title?: string;
  uid?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: Variable[] };
}

const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
// Rows hold no query; a collapsed row keeps its panels inside it.
const allPanels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
const queryPanels = allPanels.filter((p) => p.type !== 'row');
const variables = dashboard.templating?.list ?? [];
const queryVariables = variables.filter((v) => v.type === 'query');

/** What Grafana sends: its interval macros resolved, every query variable at "All" (its allValue). */
function resolve(expr: string): string {
  let out = expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('${__rate_interval}', '1m')
    .replaceAll('$__interval', '1m')
    .replaceAll('${__interval}', '1m')
    .replaceAll('$__range', '1h')
    .replaceAll('${__range}', '1h');
  for (const variable of queryVariables) {
    const value = variable.allValue ?? '.*';
    out = out.replace(new RegExp(`\\$\\{${variable.name}(?::[a-z]+)?\\}|\\$${variable.name}\\b|\\[\\[${variable.name}\\]\\]`, 'g'), value);
  }
  return out;
}

async function query(expr: string): Promise<{ status: string; error?: string; errorType?: string }> {
  const res = await fetch(`${prometheusUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await res.json()) as { status: string; error?: string; errorType?: string };
}

const exprs = queryPanels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title ?? `#${panel.id}`, expr: target.expr ?? '' })));

describe('the Grafana dashboard', () => {
  it('is a dashboard of a recent schema with a Prometheus data source variable', () => {
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(variables.find((v) => v.name === 'DS_PROMETHEUS')).toMatchObject({ type: 'datasource', query: 'prometheus' });
  });

  it('has panels with unique ids, a place on the 24-column grid and a Prometheus query each', () => {
    expect(queryPanels.length).toBeGreaterThanOrEqual(14);
    const ids = allPanels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of allPanels) {
      const { h, w, x, y } = panel.gridPos ?? {};
      expect([h, w, x, y].every((n) => Number.isInteger(n) && (n ?? -1) >= 0), `${panel.title} gridPos`).toBe(true);
      expect((x ?? 0) + (w ?? 0), `${panel.title} fits in 24 columns`).toBeLessThanOrEqual(24);
      expect(w ?? 0, `${panel.title} width`).toBeGreaterThan(0);
    }
    for (const panel of queryPanels) {
      expect(panel.title, `panel ${panel.id} title`).toBeTruthy();
      expect(panel.datasource, `${panel.title} data source`).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      const targets = panel.targets ?? [];
      expect(targets.length, `${panel.title} targets`).toBeGreaterThan(0);
      for (const target of targets) expect(target.expr?.trim(), `${panel.title} ${target.refId} expr`).toBeTruthy();
      const refIds = targets.map((t) => t.refId);
      expect(new Set(refIds).size, `${panel.title} refIds`).toBe(targets.length);
    }
    // No two panels overlap.
    const cells = new Set<string>();
    for (const panel of allPanels) {
      const { h = 0, w = 0, x = 0, y = 0 } = panel.gridPos ?? {};
      for (let row = y; row < y + h; row++) {
        for (let col = x; col < x + w; col++) {
          const cell = `${row}:${col}`;
          expect(cells.has(cell), `${panel.title} overlaps another panel at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  it('shows every metric of the monitoring contract (docs/monitoring.md)', () => {
    const all = exprs.map((e) => e.expr).join('\n');
    for (const metric of [
      'llmaas_requests_total',
      'llmaas_request_duration_seconds_bucket',
      'llmaas_time_to_first_token_seconds_bucket',
      'llmaas_tokens_total',
      'llmaas_request_errors_total',
      'llmaas_rate_limit_rejections_total',
      'llmaas_guard_checks_total',
      'llmaas_guard_blocks_total',
      'llmaas_kafka_consumer_lag',
      'llmaas_batch_queue_jobs',
      'llmaas_billing_ingest_lag_seconds',
      'llmaas_tenant_budget_used_ratio',
      'llmaas_gpu_vram_used_bytes',
      'llmaas_gpu_vram_total_bytes',
      'llmaas_worker_model_loaded',
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'llmaas_fleet_workers',
      'process_resident_memory_bytes',
      'nodejs_eventloop_delay_p99_seconds',
    ]) {
      expect(all, metric).toContain(metric);
    }
  });

  it('uses only variables it defines', () => {
    for (const { panel, expr } of exprs) expect(resolve(expr), `${panel}: ${expr}`).not.toContain('$');
  });

  it.each(exprs.map((e) => [e.panel, e.expr] as const))('%s: %s runs on the platform Prometheus', async (_panel, expr) => {
    const result = await query(resolve(expr));
    expect({ status: result.status, error: result.error }, resolve(expr)).toEqual({ status: 'success', error: undefined });
  });

  it.each(queryVariables.map((v) => [v.name, typeof v.query === 'string' ? v.query : (v.query?.query ?? '')] as const))(
    'variable %s (%s) selects existing series',
    async (_name, definition) => {
      // label_values(<selector>, <label>): the selector must be a valid query.
      const match = /^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(definition);
      expect(match, definition).not.toBeNull();
      const result = await query(match?.[1] ?? '');
      expect(result.status, `${definition}: ${result.error ?? ''}`).toBe('success');
    },
  );
});
