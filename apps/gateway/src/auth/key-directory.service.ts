import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { topics, type ApiKeyRecord, type TenantRecord } from '@llmaas/contracts';
import { CompactedTable, KafkaHealth, nestConsumerLog, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, ReadinessRegistry, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

import { type KeyLookup } from './authenticator.js';

/**
 * The gateway's in-memory copies of `auth.keys` and `auth.tenants`, indexed by key hash. A
 * revocation published by auth reaches this map within one fetch; the gateway is not ready until
 * both tables are caught up, so it never refuses a valid key because it started empty.
 */
@Injectable()
export class KeyDirectory implements KeyLookup, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('key-directory');
  private readonly byHash = new Map<string, ApiKeyRecord>();
  private readonly keys: CompactedTable<typeof topics.authKeys.schema>;
  private readonly tenants: CompactedTable<typeof topics.authTenants.schema>;

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    private readonly readiness: ReadinessRegistry,
    private readonly health: KafkaHealth,
  ) {
    this.keys = new CompactedTable(topics.authKeys, {
      connection,
      instance: info.instance,
      onChange: (keyId, record) => this.reindex(keyId, record),
    });
    this.tenants = new CompactedTable(topics.authTenants, { connection, instance: info.instance });
  }

  onModuleInit(): void {
    this.readiness.register('auth-tables', () => Promise.resolve(this.keys.caughtUp && this.tenants.caughtUp));
    const log = nestConsumerLog(this.logger);
    this.health.track('auth.keys', this.keys.kafkaConsumer);
    this.health.track('auth.tenants', this.tenants.kafkaConsumer);
    // In the background: the port opens at once, readiness waits for the tables.
    void this.keys.start(log);
    void this.tenants.start(log);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.keys.stop(), this.tenants.stop()]);
  }

  keyByHash(hash: string): ApiKeyRecord | undefined {
    return this.byHash.get(hash);
  }

  tenant(id: string): TenantRecord | undefined {
    return this.tenants.get(id);
  }

  private readonly hashOfKey = new Map<string, string>();

  private reindex(keyId: string, record: ApiKeyRecord | null): void {
    const previous = this.hashOfKey.get(keyId);
    if (previous) this.byHash.delete(previous);
    if (record) {
      this.byHash.set(record.secretHash, record);
      this.hashOfKey.set(keyId, record.secretHash);
    } else {
      this.hashOfKey.delete(keyId);
    }
  }
}
