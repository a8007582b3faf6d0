import { randomBytes } from 'node:crypto';

import { Inject, Injectable, Logger } from '@nestjs/common';
import { PRISMA } from '@llmaas/db';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type BatchConfig } from '../batch.config.js';
import { type PrismaClient } from '../generated/prisma/client.js';
import {
  decryptBlob,
  encryptBlob,
  generateDataKey,
  parseMasterKeys,
  unwrapDataKey,
  wrapDataKey,
  type MasterKey,
} from './key-wrap.js';

const WEBHOOK_SECRET_AAD = (tenantId: string) => `llmaas-webhook-secret:${tenantId}`;

/**
 * Each tenant's data key (AES-256), created on first use and stored wrapped by the current master
 * key. A rotation (a new master key first in BATCH_MASTER_KEYS, the old one after it) re-wraps
 * every data key at start-up; file bodies are never re-encrypted.
 */
@Injectable()
export class DataKeys {
  private readonly logger = new Logger('data-keys');
  private readonly masters: { current: MasterKey; byId: ReadonlyMap<string, MasterKey> };
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SERVICE_CONFIG) config: BatchConfig,
  ) {
    this.masters = parseMasterKeys(config.BATCH_MASTER_KEYS);
  }

  /** The tenant's data key, unwrapped (kept in memory, never written in the clear). */
  keyFor(tenantId: string): Promise<Buffer> {
    let key = this.cache.get(tenantId);
    if (!key) {
      key = this.load(tenantId);
      key.catch(() => this.cache.delete(tenantId));
      this.cache.set(tenantId, key);
    }
    return key;
  }

  /** Re-wraps the data keys still wrapped by an older master key; returns how many. */
  async rewrapAll(): Promise<number> {
    const stale = await this.prisma.tenantDataKey.findMany({
      where: { masterKeyId: { not: this.masters.current.id } },
    });
    for (const row of stale) {
      const dataKey = unwrapDataKey(
        this.masterOf(row.masterKeyId),
        row.tenantId,
        Buffer.from(row.wrappedKey),
      );
      const wrapped = wrapDataKey(this.masters.current, row.tenantId, dataKey);
      await this.prisma.tenantDataKey.update({
        where: { tenantId: row.tenantId, masterKeyId: row.masterKeyId },
        data: {
          wrappedKey: wrapped,
          masterKeyId: this.masters.current.id,
          rewrappedAt: new Date(),
        },
      });
    }
    if (stale.length > 0)
      this.logger.log({
        msg: 'data keys re-wrapped by the current master key',
        count: stale.length,
        masterKeyId: this.masters.current.id,
      });
    return stale.length;
  }

  /** The secret signing the tenant's batch webhooks ("whsec_…", Standard Webhooks); created on first use, replaced by `rotate`. */
  async webhookSecret(tenantId: string, rotate = false): Promise<string> {
    const key = await this.keyFor(tenantId);
    const row = await this.prisma.tenantDataKey.findUniqueOrThrow({ where: { tenantId } });
    if (row.webhookSecret && !rotate)
      return decryptBlob(
        key,
        WEBHOOK_SECRET_AAD(tenantId),
        Buffer.from(row.webhookSecret),
      ).toString('utf8');
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    await this.prisma.tenantDataKey.update({
      where: { tenantId },
      data: { webhookSecret: encryptBlob(key, WEBHOOK_SECRET_AAD(tenantId), Buffer.from(secret)) },
    });
    return secret;
  }

  private masterOf(id: string): MasterKey {
    const master = this.masters.byId.get(id);
    if (!master)
      throw new Error(
        `a data key is wrapped by master key '${id}', which BATCH_MASTER_KEYS no longer lists: add it back after the current key`,
      );
    return master;
  }

  private async load(tenantId: string): Promise<Buffer> {
    const row = await this.prisma.tenantDataKey.findUnique({ where: { tenantId } });
    if (row)
      return unwrapDataKey(this.masterOf(row.masterKeyId), tenantId, Buffer.from(row.wrappedKey));
    const dataKey = generateDataKey();
    const wrapped = wrapDataKey(this.masters.current, tenantId, dataKey);
    // Two first uploads at once: the first insert wins and both use its key.
    await this.prisma.tenantDataKey.createMany({
      data: [{ tenantId, wrappedKey: wrapped, masterKeyId: this.masters.current.id }],
      skipDuplicates: true,
    });
    const stored = await this.prisma.tenantDataKey.findUniqueOrThrow({ where: { tenantId } });
    return unwrapDataKey(
      this.masterOf(stored.masterKeyId),
      tenantId,
      Buffer.from(stored.wrappedKey),
    );
  }
}
