import { databaseEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { authDatabase } from './database/database.js';

await runService({
  name: 'auth',
  defaultPort: 9101,
  env: { ...databaseEnv },
  status: rpc.authStatus,
  consumes: true,
  modules: (config) => [authDatabase(config.DATABASE_URL)],
});
