import { assertMigrationsMatchSchema, scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { authDb } from './database.js';

// A scratch database, migrated with our runner, dropped after the file.
const prisma = scratchClient(authDb, { beforeAll, afterAll });

describe('auth migrations match the Prisma schema', () => {
  it('migrations build exactly the tables, enums, keys and indexes Prisma derives from schema.prisma', () => assertMigrationsMatchSchema(authDb), 60_000);

  it('round-trips every field of Tenant and ApiKey, rotation link included', async () => {
    const tenant = await prisma.tenant.create({
      data: {
        id: 'tn_1', name: 'Acme', status: 'suspended', legalName: 'Acme SAS', addressLine: '1 rue de Rivoli', postalCode: '75001',
        city: 'Paris', country: 'FR', vatNumber: 'FR40303265045', tier: 'enterprise', guardEnabled: false, guardThreshold: '0.725',
        betaOptIn: true, allowedModels: ['qwen3*', 'gpt-oss:120b'], contactEmails: ['ops@acme.test'], webhookUrl: 'https://acme.test/hook',
        rotationDays: 90, auditRetentionDays: 3650,
      },
    });
    expect(tenant.guardThreshold.toString()).toBe('0.725');
    const first = await prisma.apiKey.create({
      data: { id: 'key_1', tenantId: tenant.id, name: 'ci', role: 'developer', secretHash: 'a'.repeat(64), displayPrefix: 'llm_ab12', last4: 'wxyz', models: ['qwen3*'], expiresAt: new Date('2027-01-01T00:00:00Z'), createdBy: 'key_admin' },
    });
    const second = await prisma.apiKey.create({
      data: { id: 'key_2', tenantId: tenant.id, name: 'ci', role: 'finance', secretHash: 'b'.repeat(64), displayPrefix: 'llm_cd34', createdBy: 'rotation', predecessorId: first.id, lastUsedAt: new Date(), revokedAt: null },
    });
    const loaded = await prisma.tenant.findUniqueOrThrow({ where: { id: 'tn_1' }, include: { keys: { include: { predecessor: true, successor: true } } } });
    expect(loaded).toMatchObject({ country: 'FR', allowedModels: ['qwen3*', 'gpt-oss:120b'], rotationDays: 90 });
    expect(loaded.keys.find((k) => k.id === second.id)?.predecessor?.id).toBe(first.id);
    expect(loaded.keys.find((k) => k.id === first.id)?.successor?.id).toBe(second.id);
    expect(loaded.keys.find((k) => k.id === first.id)?.last4).toBe('wxyz');

    await prisma.apiKey.update({ where: { id: first.id }, data: { revokedAt: new Date() } });
    await expect(prisma.apiKey.create({ data: { id: 'key_3', tenantId: tenant.id, name: 'dup', role: 'developer', secretHash: 'a'.repeat(64), displayPrefix: 'x', createdBy: 'x' } })).rejects.toThrow();
    await expect(prisma.apiKey.create({ data: { id: 'key_4', tenantId: 'nope', name: 'fk', role: 'developer', secretHash: 'c'.repeat(64), displayPrefix: 'x', createdBy: 'x' } })).rejects.toThrow();
    // A tenant with keys cannot be deleted by accident (RESTRICT).
    await expect(prisma.tenant.delete({ where: { id: 'tn_1' } })).rejects.toThrow();
    await prisma.apiKey.deleteMany({ where: { tenantId: 'tn_1' } });
    await prisma.tenant.delete({ where: { id: 'tn_1' } });
    expect(await prisma.tenant.count()).toBe(0);
  });

  it('round-trips an audit record and keeps each chain gapless and unique', async () => {
    const record = {
      tenantId: 'tn_1', chain: 'tn_1', seq: 1n, at: new Date(), eventId: 'ev_1', keyId: 'key_1', actor: 'key:key_1', source: 'gateway',
      action: 'chat.completions.create', resource: '/v1/chat/completions', model: 'gpt-oss:120b', httpStatus: 200, requestId: 'req_1',
      clientAddress: '127.0.0.1', userAgent: 'OpenAI/JS 6.0', tokens: 42, latencyMs: 123.4, prevHash: '0'.repeat(64), hash: 'f'.repeat(64),
    };
    const created = await prisma.auditRecord.create({ data: record });
    expect(typeof created.id).toBe('bigint');
    expect(await prisma.auditRecord.findUniqueOrThrow({ where: { eventId: 'ev_1' } })).toMatchObject({ ...record, id: created.id });
    await expect(prisma.auditRecord.create({ data: { ...record, eventId: 'ev_2' } })).rejects.toThrow();
    await prisma.auditRecord.create({ data: { ...record, tenantId: null, chain: '_platform', eventId: 'ev_3' } });
    await prisma.auditRecord.deleteMany({});
    expect(await prisma.auditRecord.count()).toBe(0);
  });

  it('round-trips chain heads, checkpoints and a sealed pending secret', async () => {
    await prisma.auditChainHead.create({ data: { chain: 'tn_1', seq: 41n, hash: 'a'.repeat(64) } });
    await prisma.auditChainHead.update({ where: { chain: 'tn_1' }, data: { seq: 42n, hash: 'b'.repeat(64) } });
    expect((await prisma.auditChainHead.findUniqueOrThrow({ where: { chain: 'tn_1' } })).seq).toBe(42n);
    await prisma.auditCheckpoint.create({ data: { chain: 'tn_1', seq: 10n, hash: 'c'.repeat(64), signature: 'd'.repeat(64) } });
    await prisma.auditCheckpoint.update({ where: { chain: 'tn_1' }, data: { seq: 11n } });
    expect(await prisma.auditCheckpoint.findUniqueOrThrow({ where: { chain: 'tn_1' } })).toMatchObject({ seq: 11n, signature: 'd'.repeat(64) });
    await prisma.tenant.create({ data: { id: 'tn_2', name: 'B' } });
    const sealed = new Uint8Array([9, 8, 7]);
    await prisma.apiKey.create({ data: { id: 'key_9', tenantId: 'tn_2', name: 'auto', role: 'developer', secretHash: '9'.repeat(64), displayPrefix: 'x', createdBy: 'rotation', pendingSecret: sealed } });
    expect([...((await prisma.apiKey.findUniqueOrThrow({ where: { id: 'key_9' } })).pendingSecret ?? [])]).toEqual([9, 8, 7]);
    await prisma.apiKey.delete({ where: { id: 'key_9' } });
    await prisma.tenant.delete({ where: { id: 'tn_2' } });
    await prisma.auditChainHead.deleteMany({});
    await prisma.auditCheckpoint.deleteMany({});
  });
});
