// Lifecycle benchmarks: the catalog lookup on the gateway's hot path (in process, on the real
// catalog), and how fast an operator's change reaches a running gateway.
import { type CatalogModel } from '@llmaas/contracts';

import { lifecycleHeaders, unavailableModel } from '../apps/gateway/dist/catalog/lifecycle-headers.js';
import { table } from './lib/report.js';
import { percentiles, round } from './lib/stats.js';

const gateway = 'http://127.0.0.1:8080';
const adminKey = process.env.LLMAAS_ADMIN_KEY ?? '';

async function call<T>(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
  const res = await fetch(`${gateway}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Per-call cost of `run(ids)` in µs, after a warm-up. */
function perCallUs(ids: readonly string[], step: (id: string) => void, n: number): number {
  for (let i = 0; i < n / 10; i++) step(ids[i % ids.length] ?? '');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) step(ids[i % ids.length] ?? '');
  return Number(process.hrtime.bigint() - t0) / n / 1000;
}

/** What the gateway does per request naming a model: map read, visibility, 404/410 decision, headers. */
async function lookup(): Promise<string> {
  const { body } = await call<{ data: CatalogModel[] }>('GET', '/admin/v1/models', adminKey);
  const catalog = new Map(body.data.map((m) => [m.id, m]));
  const viewer = { tenantId: 'bench', betaOptIn: false };
  const step = (id: string) => {
    const model = catalog.get(id);
    if (unavailableModel(id, model, viewer) === null && model) lifecycleHeaders(model);
  };
  const served = body.data.filter((m) => unavailableModel(m.id, m, viewer) === null).map((m) => m.id);
  const refused = [...body.data.filter((m) => unavailableModel(m.id, m, viewer) !== null).map((m) => m.id), 'no-such-model:1b'];
  const N = 2_000_000;
  const servedUs = perCallUs(served, step, N);
  const refusedUs = perCallUs(refused, step, N / 4);
  return `Catalog lookup on the hot path (map read + visibility + 404/410 decision + lifecycle headers) over the real catalog of ${catalog.size} models: a served model (${served.length} ids, ${N.toLocaleString('en')} lookups) **${round(servedUs, 3)} µs per lookup** (target ≤ 2 µs); a refused one (${refused.length} ids: removed, hidden or unknown, building the 404/410 error with its stack) ${round(refusedUs, 3)} µs.`;
}

/** From an operator's PATCH leaving the client to a running gateway serving the new value. */
async function propagation(): Promise<string> {
  const stamp = Date.now().toString(36);
  const tenantId = `bench-catalog-${stamp}`;
  await call('POST', '/admin/v1/tenants', adminKey, { id: tenantId, name: 'catalog bench', betaOptIn: true });
  const key = (await call<{ secret: string }>('POST', `/admin/v1/tenants/${tenantId}/keys`, adminKey, { name: 'bench', role: 'developer' })).body.secret;
  // An experimental model: visible to the bench tenant only, never on the public status page.
  const id = `bench-propagation-${stamp}:1b`;
  const created = await call('POST', '/admin/v1/models', adminKey, { id, publisher: 'bench', kind: 'chat', paramsBillion: 1, contextLength: 1000, stability: 'experimental', productionDate: '2026-01-01' });
  if (created.status !== 201) throw new Error(`model creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const path = `/v1/models/${encodeURIComponent(id)}`;
  const samples: number[] = [];
  const rpcOnly: number[] = [];
  for (let i = 0; i < 60; i++) {
    const contextLength = 2000 + i;
    const t0 = performance.now();
    const patched = await call('PATCH', `/admin/v1/models/${encodeURIComponent(id)}`, adminKey, { contextLength });
    if (patched.status !== 200) throw new Error(`patch failed: ${patched.status} ${JSON.stringify(patched.body)}`);
    rpcOnly.push(performance.now() - t0);
    const deadline = t0 + 10_000;
    while ((await call<{ context_length?: number }>('GET', path, key)).body.context_length !== contextLength && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    samples.push(performance.now() - t0);
  }
  const p = percentiles(samples, [50, 99]);
  const r = percentiles(rpcOnly, [50, 99]);
  return `Change propagation, 60 changes: from sending an operator's PATCH to the gateway answering with the new value (admin REST → Kafka RPC → lifecycle checks and commits → \`catalog.models\` → gateway's in-memory copy): **p50 ${p.p50} ms, p99 ${p.p99} ms** (target p99 ≤ 1 s), max ${round(Math.max(...samples))} ms; the PATCH call alone (it returns once the change is published): p50 ${r.p50} ms, p99 ${r.p99} ms.`;
}

export async function benchCatalog(): Promise<string> {
  const l = await lookup();
  console.log(l);
  const p = await propagation();
  console.log(p);
  return [l, p, '', table(['measure', 'target'], [['catalog lookup', '≤ 2 µs'], ['change propagation p99', '≤ 1 s']])].join('\n\n');
}
