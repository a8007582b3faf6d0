import { randomBytes } from 'node:crypto';

import { ApiKeyHasher, isWellFormedApiKey } from '@llmaas/api-keys';
import { type Principal } from '@llmaas/contracts';
import { EventPublisher, RpcFailure } from '@llmaas/kafka';
import { ClientKafka } from '@nestjs/microservices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type AuthConfig } from '../auth.config.js';
import { scratchClient } from '../database/database.js';
import { type PrismaClient } from '../generated/prisma/client.js';
import { TablePublisher } from '../publishing/table-publisher.service.js';
import { KeysService } from './keys.service.js';

// Real Postgres (a scratch database) and the real Kafka broker; only the clock is ours to move.
const DAY = 86_400_000;
let now = new Date('2026-01-01T09:00:00Z');
const config = {
  KEY_HASH_SECRET: randomBytes(32).toString('hex'),
  SECRET_BOX_KEY: randomBytes(32).toString('hex'),
  KEY_ROTATION_OVERLAP_HOURS: 24,
  TABLE_RESYNC_INTERVAL_MS: 3_600_000,
} as AuthConfig;
const operator: Principal = { keyId: 'key_op', tenantId: 'platform', role: 'operator', models: [] };
const admin: Principal = { keyId: 'key_admin', tenantId: 'rot', role: 'tenant_admin', models: [] };

let prisma: PrismaClient;
let close: () => Promise<void>;
let kafka: ClientKafka;
let keys: KeysService;

beforeAll(async () => {
  ({ client: prisma, close } = await scratchClient(process.env.DATABASE_URL ?? 'postgresql://llmaas:llmaas@127.0.0.1:15432/llmaas'));
  kafka = new ClientKafka({ client: { clientId: 'rotation-test', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',') }, producerOnlyMode: true });
  await kafka.connect();
  keys = new KeysService(prisma, config, () => now, new TablePublisher(prisma, config, new EventPublisher(kafka)));
  await prisma.tenant.create({ data: { id: 'rot', name: 'Rotating', rotationDays: 90, webhookUrl: null } });
});

afterAll(async () => {
  await kafka.close();
  await close();
});

describe('automatic rotation against an injectable clock', () => {
  it('issues a successor at the rotation age, keeps the predecessor for the overlap, and hands the secret over once', async () => {
    const created = await keys.create(operator, 'rot', { name: 'service', role: 'developer', models: ['qwen3*'], expiresAt: null });

    now = new Date(now.getTime() + 89 * DAY);
    expect(await keys.rotateDueKeys()).toEqual([]);

    now = new Date(now.getTime() + 1 * DAY);
    const notices = await keys.rotateDueKeys();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ tenantId: 'rot', predecessorId: created.id });
    expect(notices[0]?.predecessorExpiresAt).toBe(new Date(now.getTime() + DAY).toISOString());

    const successorId = notices[0]?.successorId ?? '';
    const successor = await keys.get(admin, successorId);
    expect(successor).toMatchObject({ predecessorId: created.id, successorSecretPending: true, models: ['qwen3*'], role: 'developer' });

    const fetched = await keys.successorSecret(admin, successorId);
    expect(isWellFormedApiKey(fetched.secret)).toBe(true);
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: successorId } });
    expect(row.secretHash).toBe(new ApiKeyHasher(config.KEY_HASH_SECRET).hash(fetched.secret));
    expect(row.pendingSecret).toBeNull();
    await expect(keys.successorSecret(admin, successorId)).rejects.toMatchObject({ code: 'not_found' });

    // Already rotated: the next pass leaves the predecessor alone; the successor rotates 90 days on.
    expect(await keys.rotateDueKeys()).toEqual([]);
    now = new Date(now.getTime() + 90 * DAY);
    expect((await keys.rotateDueKeys()).map((n) => n.predecessorId)).toEqual([successorId]);
  });

  it('refuses a second manual rotation and hides other tenants\' keys', async () => {
    const key = await keys.create(operator, 'rot', { name: 'manual', role: 'developer', models: [], expiresAt: null });
    await keys.rotate(admin, key.id, 1);
    await expect(keys.rotate(admin, key.id)).rejects.toMatchObject({ code: 'conflict' });
    const stranger: Principal = { keyId: 'k', tenantId: 'other', role: 'tenant_admin', models: [] };
    await expect(keys.get(stranger, key.id)).rejects.toBeInstanceOf(RpcFailure);
    await expect(keys.get(stranger, key.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
