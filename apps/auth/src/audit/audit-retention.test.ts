import { randomBytes, randomUUID } from 'node:crypto';

import { type AuditEvent, type Principal } from '@llmaas/contracts';
import { scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AuthConfig } from '../auth.config.js';
import { authDb } from '../database/database.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

// Real Postgres (a scratch database); the clock is ours to move.
const prisma = scratchClient(authDb, { beforeAll, afterAll });
const DAY = 86_400_000;
let now = new Date('2026-11-26T12:00:00Z');
const config = { AUDIT_SIGNING_SECRET: randomBytes(32).toString('hex'), RETENTION_CHECK_INTERVAL_MS: 3_600_000 } as AuthConfig;
const operator: Principal = { keyId: 'key_op', tenantId: 'platform', role: 'operator', models: [] };

// Every other event without latency, as written before it was recorded: chains mix both and verify.
let written = 0;
const event = (tenantId: string, at: Date): AuditEvent => ({
  eventId: randomUUID(), at: at.toISOString(), tenantId, keyId: 'key_1', actor: 'key:key_1', source: 'gateway', action: 'POST /v1/chat/completions',
  resource: '/v1/chat/completions', model: 'gpt-oss:120b', httpStatus: 200, requestId: randomUUID(), clientAddress: '127.0.0.1', userAgent: 'test', tokens: 7,
  latencyMs: written++ % 2 === 0 ? null : 12.3,
});

let records: AuditRepository;
let audit: AuditService;
beforeAll(async () => {
  records = new AuditRepository(prisma);
  audit = new AuditService(records, prisma, config, () => now);
  await prisma.tenant.create({ data: { id: 'ret', name: 'Retention', auditRetentionDays: 30 } });
});

describe('audit retention', () => {
  it('removes records past the retention period and leaves a signed checkpoint the chain still verifies from', async () => {
    const old = Array.from({ length: 5 }, (_, i) => event('ret', new Date(now.getTime() - (40 - i) * DAY)));
    const recent = Array.from({ length: 4 }, (_, i) => event('ret', new Date(now.getTime() - (10 - i) * DAY)));
    expect(await records.append([...old, ...recent])).toBe(9);
    // Redelivery of the same events writes nothing.
    expect(await records.append(old)).toBe(0);
    expect(await audit.verify(operator, 'ret')).toMatchObject({ ok: true, checked: 9 });

    expect(await audit.applyRetention()).toBe(5);
    expect(await prisma.auditRecord.count({ where: { chain: 'ret' } })).toBe(4);
    expect(await audit.verify(operator, 'ret')).toMatchObject({ ok: true, checked: 4, checkpointSeq: 5 });

    // New records continue the chain after the checkpoint.
    await records.append([event('ret', now)]);
    expect(await audit.verify(operator, 'ret')).toMatchObject({ ok: true, checked: 5 });

    // A checkpoint edited in the table no longer carries a valid signature.
    await prisma.auditCheckpoint.update({ where: { chain: 'ret' }, data: { seq: 4n } });
    expect(await audit.verify(operator, 'ret')).toMatchObject({ ok: false, problem: 'the retention checkpoint does not carry a valid signature' });
  });

  it('a second pass removes nothing more while records are young', async () => {
    now = new Date(now.getTime() + DAY);
    expect(await audit.applyRetention()).toBe(0);
  });
});
