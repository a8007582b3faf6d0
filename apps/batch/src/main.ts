import { rpc } from '@llmaas/contracts';
import { RedisModule } from '@llmaas/redis';
import { CatalogDirectory, runService } from '@llmaas/service-kit';

import { batchEnv } from './batch.config.js';
import { BatchesController } from './batches/batches.controller.js';
import { BatchesService } from './batches/batches.service.js';
import { batchDatabase } from './database/database.js';
import { BatchExecutor } from './execution/batch-executor.js';
import { BatchQueues } from './execution/batch-queues.js';
import { Clock } from './execution/clock.js';
import { LineRunner } from './execution/line-runner.js';
import { ResultStore } from './execution/result-store.js';
import { Sweeper } from './execution/sweeper.js';
import { Webhooks } from './execution/webhooks.js';
import { FileStore } from './files/file-store.service.js';
import { installFileRoutes } from './files/file-routes.js';
import { FilesService } from './files/files.service.js';
import { DataKeys } from './storage/data-keys.service.js';
import { TenantTables } from './tenants/tenant-tables.service.js';

// Files (encrypted on disk) and batches (Postgres `batch`), executed on BullMQ queues in Redis.
await runService({
  name: 'batch',
  defaultPort: 9106,
  env: batchEnv,
  status: rpc.batchStatus,
  consumes: true,
  calls: [rpc.guardCheck],
  modules: (config) => [batchDatabase(config.DATABASE_URL), RedisModule.forRoot(config.REDIS_URL)],
  controllers: [BatchesController],
  providers: [Clock, DataKeys, FileStore, FilesService, TenantTables, CatalogDirectory, BatchQueues, ResultStore, LineRunner, Webhooks, BatchExecutor, BatchesService, Sweeper],
  configureApp: (app) => installFileRoutes(app),
});
