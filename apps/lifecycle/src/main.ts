import { databaseEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { lifecycleDatabase } from './database/database.js';

await runService({
  name: 'lifecycle',
  defaultPort: 9105,
  env: { ...databaseEnv },
  status: rpc.lifecycleStatus,
  consumes: true,
  modules: (config) => [lifecycleDatabase(config.DATABASE_URL)],
});
