import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

import { api, createKey, createTenant, uniqueId } from '../support/admin.js';
import { smallestServed } from '../support/models.js';
import { eventually, exec, gatewayUrl, infra, readyz, repoRoot } from '../support/platform.js';

const prometheus = `http://127.0.0.1:${process.env.PROMETHEUS_PORT ?? '19090'}`;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(expr: string): Promise<Sample[]> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; error?: string; data: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data.result;
}

const scalar = async (expr: string) => Number((await query(expr))[0]?.value[1] ?? NaN);

interface Alert {
  fingerprint: string;
  status: 'firing' | 'resolved';
  alertname: string;
  labels: Record<string, string>;
  receivedAt: string;
}

const alerts = async () => (await api<{ data: Alert[] }>('GET', '/admin/v1/alerts')).body.data;

describe('monitoring with the platform\u2019s Prometheus and Alertmanager', () => {
  it('answers the per-model request count and latency histograms of what the gateway served', async () => {
    const tenant = await createTenant(uniqueId('metrics'));
    const client = new OpenAI({ apiKey: (await createKey(tenant, 'developer')).secret, baseURL: `${gatewayUrl}/v1` });
    const model = await smallestServed('chat', (m) => !m.reasoning);
    const n = 7;
    for (let i = 0; i < n; i++) await client.chat.completions.create({ model, messages: [{ role: 'user', content: `Count me ${i}.` }], max_tokens: 4, stream: i % 2 === 0 });
    const count = await eventually(() => scalar(`sum(llmaas_requests_total{tenant="${tenant}",model="${model}",status="200"})`), (v) => v === n, 30_000, 1000);
    expect(count).toBe(n);
    // The histograms carry the model; their counts include this tenant's requests.
    expect(await scalar(`sum(llmaas_request_duration_seconds_count{model="${model}"})`)).toBeGreaterThanOrEqual(n);
    expect(await scalar(`sum(llmaas_time_to_first_token_seconds_count{model="${model}"})`)).toBeGreaterThanOrEqual(n);
    const p50 = await scalar(`histogram_quantile(0.5, sum by (le) (llmaas_request_duration_seconds_bucket{model="${model}"}))`);
    expect(p50).toBeGreaterThan(0);
    expect(await scalar(`sum(llmaas_tokens_total{tenant="${tenant}",kind="output"})`)).toBeGreaterThan(0);
  }, 120_000);

  it('fires WorkerDown through Alertmanager to the platform when the workers are killed, and resolves it when they are back', async () => {
    const before = new Set((await alerts()).filter((a) => a.alertname === 'WorkerDown' && a.status === 'firing').map((a) => a.fingerprint));
    expect(before.size).toBe(0);
    const killedAt = new Date().toISOString();
    const pid = (await readFile(join(repoRoot, '.data', 'run', 'worker.pid'), 'utf8')).trim();
    await exec('kill', ['-9', pid]);
    try {
      const firing = await eventually(
        async () => (await alerts()).filter((a) => a.alertname === 'WorkerDown' && a.status === 'firing' && a.receivedAt >= killedAt),
        (list) => list.length > 0,
        90_000,
        1000,
      );
      expect(firing[0]!.labels.worker).toMatch(/^worker-\d+$/);
      expect(firing[0]!.labels.severity).toBeDefined();
    } finally {
      await infra('infra/services.sh', 'start', 'worker');
      await eventually(() => readyz('worker'), (r) => r.status === 200, 60_000);
    }
    const resolved = await eventually(
      async () => (await alerts()).filter((a) => a.alertname === 'WorkerDown' && a.receivedAt >= killedAt),
      (list) => list.length > 0 && list.every((a) => a.status === 'resolved'),
      90_000,
      1000,
    );
    expect(resolved.length).toBeGreaterThan(0);
  }, 240_000);
});
