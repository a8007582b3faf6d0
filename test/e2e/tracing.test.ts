import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { api } from '../support/admin.js';
import { developerKey, eventually, gatewayUrl } from '../support/platform.js';

// The platform exports traces over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT, which
// infra/env.sh points at 127.0.0.1:14318: this test is the collector listening there.
const port = Number(new URL(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://127.0.0.1:14318').port);

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

const spans: Span[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      try {
        const doc = JSON.parse(body) as { resourceSpans?: { resource?: { attributes?: { key: string; value: { stringValue?: string } }[] }; scopeSpans?: { spans?: Omit<Span, 'service'>[] }[] }[] };
        for (const rs of doc.resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
          for (const ss of rs.scopeSpans ?? []) for (const s of ss.spans ?? []) spans.push({ ...s, service });
        }
      } catch {
        // not JSON (a protobuf exporter): ignored, the test then fails on missing spans
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/**
 * A chat model no worker has loaded, so that its first request waits for the scheduler to place
 * it; when every small one is loaded (earlier tests), one is unloaded first.
 */
async function coldModel(): Promise<string> {
  const fleet = async () => (await api<{ workers: { workerId: string; models: { model: string }[] }[] }>('GET', '/admin/v1/fleet')).body.workers;
  const loaded = new Set((await fleet()).flatMap((w) => w.models.map((m) => m.model)));
  const catalog = (await api<{ data: { id: string; kind: string; phase: string; stability: string; paramsBillion: number; reasoning: boolean }[] }>('GET', '/admin/v1/models')).body.data;
  const small = catalog
    .filter((m) => m.kind === 'chat' && !m.reasoning && m.stability === 'stable' && (m.phase === 'production' || m.phase === 'notice') && m.paramsBillion <= 8)
    .sort((a, b) => a.paramsBillion - b.paramsBillion);
  const cold = small.find((m) => !loaded.has(m.id));
  if (cold) return cold.id;
  const model = small.at(-1)!.id;
  for (const w of await fleet()) {
    if (w.models.some((m) => m.model === model)) await api('DELETE', `/admin/v1/fleet/workers/${w.workerId}/models/${encodeURIComponent(model)}`);
  }
  await eventually(fleet, (workers) => workers.every((w) => !w.models.some((m) => m.model === model)), 30_000, 500);
  return model;
}

describe('tracing', () => {
  it('follows one chat completion across the gateway, the guard, the scheduler and billing', async () => {
    const traceId = randomBytes(16).toString('hex');
    const model = await coldModel();
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${developerKey()}`, 'content-type': 'application/json', traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Trace me across the platform.' }], max_tokens: 4 }),
    });
    expect(res.status).toBe(200);
    await res.text();
    const services = await eventually(
      () => Promise.resolve(new Set(spans.filter((s) => s.traceId === traceId).map((s) => s.service))),
      (found) => ['gateway', 'prompt-guard', 'scheduler', 'billing'].every((s) => found.has(s)),
      30_000,
      500,
    );
    expect([...services].sort()).toEqual(expect.arrayContaining(['billing', 'gateway', 'prompt-guard', 'scheduler']));
    const mine = spans.filter((s) => s.traceId === traceId);
    // One tree: every span but the gateway's server span has a parent within the trace or the caller's.
    const server = mine.find((s) => s.service === 'gateway' && s.name === 'POST /v1/chat/completions');
    expect(server).toBeDefined();
    expect(mine.find((s) => s.service === 'prompt-guard' && s.name === 'guard.check')?.parentSpanId).toBe(server!.spanId);
    expect(mine.some((s) => s.service === 'billing' && s.name === 'consume inference.usage')).toBe(true);
    expect(mine.some((s) => s.service === 'scheduler' && s.name === 'consume scheduler.demand')).toBe(true);
  }, 90_000);
});
