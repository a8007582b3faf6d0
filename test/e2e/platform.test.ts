import { allTopicSpecs, topics, workerHeartbeat } from '@llmaas/contracts';
import { ConfigResourceTypes } from '@llmaas/kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { collectFrom, kafka } from '../support/kafka.js';
import { adminGet, developerKey, eventually, gatewayUrl, readyz, servicePorts, type PlatformService } from '../support/platform.js';

const services = Object.keys(servicePorts) as PlatformService[];
const admin = kafka.admin();

beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

describe('a started platform', () => {
  it.each(services)('%s is ready with its dependencies up', async (service) => {
    const { status, body } = await eventually(() => readyz(service), (r) => r.status === 200, 30_000);
    expect(status).toBe(200);
    expect(Object.values(body.dependencies ?? {}).every((state) => state === 'up')).toBe(true);
    expect(Object.keys(body.dependencies ?? {})).toContain('kafka');
  });

  it('answers a Kafka request/reply round trip from the gateway to every service that answers requests', async () => {
    const res = await adminGet('/admin/v1/status');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { healthy: boolean; services: { service: string; reachable: boolean; dependencies?: Record<string, string> }[] };
    expect(body.services.map((s) => s.service).sort()).toEqual(['auth', 'batch', 'billing', 'lifecycle', 'prompt-guard', 'scheduler']);
    for (const service of body.services) expect(service, service.service).toMatchObject({ reachable: true });
    expect(body.services.find((s) => s.service === 'auth')?.dependencies).toMatchObject({ kafka: 'up', postgres: 'up' });
    expect(body.services.find((s) => s.service === 'prompt-guard')?.dependencies).toMatchObject({ kafka: 'up', redis: 'up' });
    expect(body.healthy).toBe(true);
  });

  it('has workers publishing valid heartbeats on fleet.heartbeats', async () => {
    const beats = await collectFrom(
      topics.fleetHeartbeats.name,
      (value) => workerHeartbeat.safeParse(value).data?.workerId,
      (ids) => new Set(ids).size >= 12,
      { timeoutMs: 30_000 },
    );
    expect(new Set(beats).size).toBe(12);
  });

  it('shows the workers through the scheduler, which consumes their heartbeats', async () => {
    const fleet = await eventually(
      async () => (await (await adminGet('/admin/v1/fleet')).json()) as { workers: { workerId: string; up: boolean; endpoint: string; gpus: unknown[] }[] },
      (f) => f.workers.filter((w) => w.up).length >= 12,
      20_000,
    );
    expect(fleet.workers.filter((w) => w.up)).toHaveLength(12);
    const first = fleet.workers[0];
    expect(first?.gpus.length).toBeGreaterThan(0);
    // Each simulated machine answers on the endpoint its heartbeat advertises.
    const health = await fetch(`${first?.endpoint}/healthz`);
    expect(health.status).toBe(200);
  });

  it.each(services)('%s serves Prometheus metrics', async (service) => {
    const res = await fetch(`http://127.0.0.1:${servicePorts[service]}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^process_resident_memory_bytes\{.*service="[a-z-]+".*\} \d+/m);
  });

  it('created every topic of the contracts, compacting the shared tables', async () => {
    const existing = new Set(await admin.listTopics());
    for (const spec of allTopicSpecs()) expect(existing.has(spec.name), spec.name).toBe(true);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [topics.authKeys, topics.fleetHeartbeats].map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: ['cleanup.policy'] })),
    });
    const policy = (name: string) => described.resources.find((r) => r.resourceName === name)?.configEntries[0]?.configValue;
    expect(policy('auth.keys')).toBe('compact');
    expect(policy('fleet.heartbeats')).toBe('delete');
  });
});

describe('the gateway edge', () => {
  it('refuses admin calls without the operator key, in OpenAI error shape, with a request id', async () => {
    const res = await fetch(`${gatewayUrl}/admin/v1/status`);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error).toMatchObject({ type: 'authentication_error', param: null, code: 'missing_api_key' });
    expect(body.error.message).toMatch(/API key/);
    const wrong = await fetch(`${gatewayUrl}/admin/v1/status`, { headers: { authorization: 'Bearer nope' } });
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('echoes a caller-provided request id', async () => {
    const res = await fetch(`${gatewayUrl}/healthz`, { headers: { 'x-request-id': 'my-trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('my-trace-123');
  });

  it('answers an unknown route with a 401 to a stranger and a 404 in OpenAI shape to a key holder', async () => {
    expect((await fetch(`${gatewayUrl}/v1/nope`)).status).toBe(401);
    const missing = await fetch(`${gatewayUrl}/v1/nope`, { headers: { authorization: `Bearer ${developerKey()}` } });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
  });
});
