import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { AuditController } from './audit/audit.controller.js';
import { AuditIngestService } from './audit/audit-ingest.service.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AuditService } from './audit/audit.service.js';
import { CLOCK, type AuthConfig } from './auth.config.js';
import { KeyRotationJob } from './keys/key-rotation.job.js';
import { KeysController } from './keys/keys.controller.js';
import { KeysService } from './keys/keys.service.js';
import { TablePublisher } from './publishing/table-publisher.service.js';
import { TenantsController } from './tenants/tenants.controller.js';
import { TenantsService } from './tenants/tenants.service.js';

/** Registers the operator key from configuration once the database is migrated. */
class BootstrapOperator implements OnApplicationBootstrap {
  constructor(
    private readonly keys: KeysService,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.keys.ensureBootstrapOperator(this.config.BOOTSTRAP_OPERATOR_KEY);
  }
}

@Module({
  providers: [
    { provide: CLOCK, useValue: () => new Date() },
    TablePublisher,
    TenantsService,
    KeysService,
    KeyRotationJob,
    AuditRepository,
    AuditService,
    AuditIngestService,
    BootstrapOperator,
  ],
  controllers: [TenantsController, KeysController, AuditController],
})
export class AuthModule {}
