import { describe, expect, it } from 'vitest';

import { allTopicSpecs, auditEvent, rpc, topics, workerHeartbeat } from './index.js';

describe('topic registry', () => {
  it('has unique topic names across events, requests and replies', () => {
    const names = allTopicSpecs().map((spec) => spec.name);
    expect(new Set(names).size).toBe(names.length);
  });

  // DESIGN.md's shared tables, and the platform's alerts (latest state per alert, decision in docs/monitoring.md).
  it('compacts exactly the shared tables', () => {
    const compacted = Object.values(topics).filter((t) => t.compacted).map((t) => t.name).sort();
    expect(compacted).toEqual(['auth.keys', 'auth.tenants', 'billing.quotas', 'catalog.models', 'monitoring.alerts', 'scheduler.grants']);
    const spec = allTopicSpecs().find((s) => s.name === 'auth.keys');
    expect(spec?.config['cleanup.policy']).toBe('compact');
  });

  it('gives each RPC a reply topic', () => {
    const names = new Set(allTopicSpecs().map((s) => s.name));
    for (const op of Object.values(rpc)) expect(names.has(`${op.pattern}.reply`)).toBe(true);
  });

  it('keys each topic by a field its schema has', () => {
    for (const topic of Object.values(topics)) {
      const shape = (topic.schema as unknown as { shape: Record<string, unknown> }).shape;
      expect(Object.keys(shape), topic.name).toContain(topic.keyField);
    }
  });
});

describe('message schemas', () => {
  const beat = {
    workerId: 'w1',
    engine: 'sim',
    endpoint: 'http://127.0.0.1:9301',
    gpus: [{ index: 0, name: 'H100 80GB', vramTotalMiB: 81559, vramUsedMiB: 0 }],
    models: [],
    queueDepth: 0,
    running: 0,
    tokensPerSecond: 0,
    cordoned: false,
    seq: 1,
    startedAt: '2026-11-26T10:00:00.000Z',
    sentAt: '2026-11-26T10:00:01.000Z',
  };

  it('accepts a well-formed heartbeat', () => {
    expect(workerHeartbeat.parse(beat).workerId).toBe('w1');
  });

  it('rejects a heartbeat with a negative queue or no GPU', () => {
    expect(workerHeartbeat.safeParse({ ...beat, queueDepth: -1 }).success).toBe(false);
    expect(workerHeartbeat.safeParse({ ...beat, gpus: [] }).success).toBe(false);
  });

  it('fills audit defaults and refuses a missing action', () => {
    const base = { eventId: 'e1', at: '2026-11-26T10:00:00Z', tenantId: 't1', keyId: null, actor: 'key:k1', source: 'gateway', resource: '/v1/models' };
    expect(auditEvent.parse({ ...base, action: 'models.list' }).httpStatus).toBeNull();
    expect(auditEvent.safeParse(base).success).toBe(false);
  });
});
