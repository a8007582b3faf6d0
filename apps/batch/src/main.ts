import { databaseEnv, redisEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { RedisModule } from '@llmaas/redis';
import { runService } from '@llmaas/service-kit';

import { batchDatabase } from './database/database.js';

// Redis carries the BullMQ queues of batch execution; Postgres the files and batches.
await runService({
  name: 'batch',
  defaultPort: 9106,
  env: { ...databaseEnv, ...redisEnv },
  status: rpc.batchStatus,
  consumes: true,
  modules: (config) => [batchDatabase(config.DATABASE_URL), RedisModule.forRoot(config.REDIS_URL)],
});
