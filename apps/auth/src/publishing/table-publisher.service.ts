import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { auditEventOf, topics, type Principal } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { EventPublisher } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type AuthConfig } from '../auth.config.js';
import { type ApiKey, type PrismaClient, type Tenant } from '../generated/prisma/client.js';
import { toKeyRecord } from '../keys/key-mapping.js';
import { toTenantRecord } from '../tenants/tenant-mapping.js';

/**
 * Shares auth's tables with the platform through the compacted topics `auth.tenants` and
 * `auth.keys`: each change right after its commit, and the whole table at start and every
 * TABLE_RESYNC_INTERVAL_MS, so a change whose publish failed (Kafka down) still arrives.
 */
@Injectable()
export class TablePublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('tables');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
    private readonly events: EventPublisher,
  ) {}

  onApplicationBootstrap(): void {
    void this.resync();
    this.timer = setInterval(() => void this.resync(), this.config.TABLE_RESYNC_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async tenantChanged(tenant: Tenant): Promise<void> {
    await this.publishSafely(() => this.events.publish(topics.authTenants, toTenantRecord(tenant)));
  }

  async keysChanged(keys: readonly ApiKey[]): Promise<void> {
    await this.publishSafely(() => this.events.publishMany(topics.authKeys, keys.map(toKeyRecord)));
  }

  /** A domain action auth performed, for the audit trail (same pipeline as every other event). */
  async audit(actor: Principal | 'system', action: string, resource: string, tenantId: string | null): Promise<void> {
    await this.publishSafely(() => this.events.publish(topics.auditEvents, auditEventOf('auth', actor, action, resource, tenantId)));
  }

  private async resync(): Promise<void> {
    try {
      const [tenants, keys] = await Promise.all([this.prisma.tenant.findMany(), this.prisma.apiKey.findMany()]);
      for (let i = 0; i < tenants.length; i += 500) await this.events.publishMany(topics.authTenants, tenants.slice(i, i + 500).map(toTenantRecord));
      for (let i = 0; i < keys.length; i += 500) await this.events.publishMany(topics.authKeys, keys.slice(i, i + 500).map(toKeyRecord));
    } catch (error) {
      this.logger.warn({ msg: 'table resync failed; next interval retries', err: error instanceof Error ? error.message : String(error) });
    }
  }

  private async publishSafely(publish: () => Promise<void>): Promise<void> {
    try {
      await publish();
    } catch (error) {
      // The database is the truth; the next resync republishes what this publish missed.
      this.logger.warn({ msg: 'publish failed; the next resync will carry it', err: error instanceof Error ? error.message : String(error) });
    }
  }
}
