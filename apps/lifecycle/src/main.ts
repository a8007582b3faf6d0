import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { CatalogAdminController } from './admin/catalog-admin.controller.js';
import { CatalogAdminService } from './admin/catalog-admin.service.js';
import { CatalogPublisher } from './catalog/catalog-publisher.service.js';
import { CatalogRepository } from './catalog/catalog.repository.js';
import { lifecycleDatabase } from './database/database.js';
import { CLOCK, lifecycleEnv } from './lifecycle.config.js';

await runService({
  name: 'lifecycle',
  defaultPort: 9105,
  env: lifecycleEnv,
  status: rpc.lifecycleStatus,
  consumes: true,
  modules: (config) => [lifecycleDatabase(config.DATABASE_URL)],
  controllers: [CatalogAdminController],
  providers: [{ provide: CLOCK, useValue: () => new Date() }, CatalogRepository, CatalogPublisher, CatalogAdminService],
});
