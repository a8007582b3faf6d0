import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { ApiKeyHasher, generateApiKey } from '@llmaas/api-keys';
import { type KeyView, type Principal, type keyCreate } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { RpcFailure } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { type z } from 'zod';

import { assertMayGrantRole, assertTenantVisible } from '../access/access-policy.js';
import { CLOCK, type AuthConfig, type Clock } from '../auth.config.js';
import { type ApiKey, type PrismaClient } from '../generated/prisma/client.js';
import { TablePublisher } from '../publishing/table-publisher.service.js';
import { toKeyView, type KeyWithSuccessor } from './key-mapping.js';
import { keysDueForRotation, predecessorExpiry } from './rotation-policy.js';
import { SecretBox } from './secret-box.js';

const withSuccessor = { successor: { select: { id: true } } } as const;

export interface RotationNotice {
  tenantId: string;
  webhookUrl: string | null;
  predecessorId: string;
  successorId: string;
  predecessorExpiresAt: string;
}

@Injectable()
export class KeysService {
  private readonly hasher: ApiKeyHasher;
  private readonly box: SecretBox;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
    @Inject(CLOCK) private readonly now: Clock,
    private readonly tables: TablePublisher,
  ) {
    this.hasher = new ApiKeyHasher(config.KEY_HASH_SECRET);
    this.box = new SecretBox(config.SECRET_BOX_KEY);
  }

  async create(caller: Principal, tenantId: string, input: z.infer<typeof keyCreate>) {
    assertTenantVisible(caller, tenantId);
    assertMayGrantRole(caller, input.role);
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId } });
    if (!tenant) throw new RpcFailure('not_found', `No tenant found with id '${tenantId}'.`, 'tenant_id');
    if (input.expiresAt !== null && new Date(input.expiresAt) <= this.now()) {
      throw new RpcFailure('invalid_request', 'expires_at must be in the future.', 'expires_at');
    }
    const secret = generateApiKey();
    const key = await this.prisma.apiKey.create({
      data: this.newKeyData(secret, { tenantId, name: input.name, role: input.role, models: input.models, expiresAt: input.expiresAt ? new Date(input.expiresAt) : null, createdBy: `key:${caller.keyId}` }),
      include: withSuccessor,
    });
    await this.tables.keysChanged([key]);
    await this.tables.audit(caller, 'key.create', `key:${key.id}`, tenantId);
    return { ...toKeyView(key), secret };
  }

  async list(caller: Principal, tenantId: string): Promise<KeyView[]> {
    assertTenantVisible(caller, tenantId);
    const keys = await this.prisma.apiKey.findMany({ where: { tenantId }, include: withSuccessor, orderBy: { createdAt: 'asc' } });
    return keys.map(toKeyView);
  }

  async get(caller: Principal, keyId: string): Promise<KeyView> {
    return toKeyView(await this.visibleKey(caller, keyId));
  }

  /** Issues a successor now; the predecessor keeps working until the end of the overlap. */
  async rotate(caller: Principal, keyId: string, overlapHours = this.config.KEY_ROTATION_OVERLAP_HOURS) {
    const key = await this.visibleKey(caller, keyId);
    if (key.revokedAt) throw new RpcFailure('invalid_request', 'A revoked key cannot be rotated.', 'key_id');
    if (key.successor) throw new RpcFailure('conflict', `Key '${keyId}' was already rotated (successor '${key.successor.id}').`, 'key_id');
    const secret = generateApiKey();
    const { successor, predecessor } = await this.replace(key, secret, `key:${caller.keyId}`, overlapHours, false);
    await this.tables.audit(caller, 'key.rotate', `key:${key.id}->${successor.id}`, key.tenantId);
    return { ...toKeyView({ ...successor, successor: null }), secret, predecessorExpiresAt: predecessor.expiresAt };
  }

  async revoke(caller: Principal, keyId: string): Promise<KeyView> {
    const key = await this.visibleKey(caller, keyId);
    const revoked = key.revokedAt ? key : await this.prisma.apiKey.update({ where: { id: keyId }, data: { revokedAt: this.now(), pendingSecret: null }, include: withSuccessor });
    await this.tables.keysChanged([revoked]);
    await this.tables.audit(caller, 'key.revoke', `key:${keyId}`, key.tenantId);
    return toKeyView(revoked);
  }

  /** The secret an automatic rotation issued, handed over once to a tenant admin, then forgotten. */
  async successorSecret(caller: Principal, keyId: string) {
    const key = await this.visibleKey(caller, keyId);
    if (caller.role !== 'operator' && caller.role !== 'tenant_admin') throw new RpcFailure('forbidden', 'Only a tenant admin may fetch a rotated secret.');
    // Clearing and reading in one statement: two concurrent fetches cannot both get the secret.
    const [taken] = await this.prisma.$queryRawUnsafe<{ pending_secret: Uint8Array }[]>(
      `UPDATE "auth"."api_keys" k SET pending_secret = NULL FROM "auth"."api_keys" old
       WHERE k.id = old.id AND k.id = $1 AND old.pending_secret IS NOT NULL RETURNING old.pending_secret`,
      keyId,
    );
    if (!taken) throw new RpcFailure('not_found', `Key '${keyId}' has no secret waiting to be fetched (it is shown only once).`, 'key_id');
    await this.tables.audit(caller, 'key.successor_secret.fetch', `key:${keyId}`, key.tenantId);
    return { ...toKeyView({ ...key, pendingSecret: null }), secret: this.box.open(taken.pending_secret) };
  }

  /** The automatic rotation pass: successors for every due key of every tenant with a policy. */
  async rotateDueKeys(): Promise<RotationNotice[]> {
    const now = this.now();
    const tenants = await this.prisma.tenant.findMany({ where: { rotationDays: { not: null }, status: 'active' } });
    const notices: RotationNotice[] = [];
    for (const tenant of tenants) {
      const keys = await this.prisma.apiKey.findMany({ where: { tenantId: tenant.id, revokedAt: null }, include: withSuccessor });
      const due = keysDueForRotation(
        keys.map((k) => ({ id: k.id, createdAt: k.createdAt, expiresAt: k.expiresAt, revokedAt: k.revokedAt, hasSuccessor: k.successor !== null })),
        tenant.rotationDays ?? 0,
        now,
      );
      for (const id of due) {
        const key = keys.find((k) => k.id === id);
        if (!key) continue;
        const { successor, predecessor } = await this.replace(key, generateApiKey(), 'system:rotation', this.config.KEY_ROTATION_OVERLAP_HOURS, true);
        await this.tables.audit('system', 'key.auto_rotate', `key:${key.id}->${successor.id}`, tenant.id);
        notices.push({ tenantId: tenant.id, webhookUrl: tenant.webhookUrl, predecessorId: key.id, successorId: successor.id, predecessorExpiresAt: predecessor.expiresAt?.toISOString() ?? '' });
      }
    }
    return notices;
  }

  /** Operator key from configuration, registered once under the platform's own tenant. */
  async ensureBootstrapOperator(secret: string): Promise<void> {
    const secretHash = this.hasher.hash(secret);
    const tenant = await this.prisma.tenant.upsert({ where: { id: 'platform' }, create: { id: 'platform', name: 'Platform operators', guardEnabled: false }, update: {} });
    await this.tables.tenantChanged(tenant);
    const existing = await this.prisma.apiKey.findUnique({ where: { secretHash } });
    if (existing) {
      await this.tables.keysChanged([existing]);
      return;
    }
    const key = await this.prisma.apiKey.create({ data: this.newKeyData(secret, { tenantId: 'platform', name: 'bootstrap operator', role: 'operator', models: [], expiresAt: null, createdBy: 'system:bootstrap' }) });
    await this.tables.keysChanged([key]);
    await this.tables.audit('system', 'key.bootstrap_operator', `key:${key.id}`, 'platform');
  }

  private async replace(key: KeyWithSuccessor, secret: string, createdBy: string, overlapHours: number, sealSecret: boolean) {
    const now = this.now();
    const [successor, predecessor] = await this.prisma.$transaction(async (tx) => {
      const created = await tx.apiKey.create({
        data: {
          ...this.newKeyData(secret, { tenantId: key.tenantId, name: key.name, role: key.role, models: key.models, expiresAt: null, createdBy }),
          predecessorId: key.id,
          pendingSecret: sealSecret ? new Uint8Array(this.box.seal(secret)) : null,
        },
      });
      const old = await tx.apiKey.update({ where: { id: key.id }, data: { expiresAt: predecessorExpiry(key.expiresAt, now, overlapHours) } });
      return [created, old] as const;
    });
    await this.tables.keysChanged([successor, predecessor]);
    return { successor, predecessor };
  }

  private newKeyData(secret: string, fields: Pick<ApiKey, 'tenantId' | 'name' | 'role' | 'models' | 'expiresAt' | 'createdBy'>) {
    // createdAt from the injectable clock: the rotation age is measured against the same clock.
    return { id: `key_${randomUUID().replaceAll('-', '')}`, secretHash: this.hasher.hash(secret), displayPrefix: secret.slice(0, 10), last4: secret.slice(-4), createdAt: this.now(), ...fields };
  }

  private async visibleKey(caller: Principal, keyId: string): Promise<KeyWithSuccessor> {
    const key = await this.prisma.apiKey.findUnique({ where: { id: keyId }, include: withSuccessor });
    // Another tenant's key is reported exactly like a key that does not exist.
    if (!key || (caller.role !== 'operator' && key.tenantId !== caller.tenantId) || (caller.role !== 'operator' && caller.role !== 'tenant_admin')) {
      throw new RpcFailure('not_found', `No API key found with id '${keyId}'.`, 'key_id');
    }
    return key;
  }
}
