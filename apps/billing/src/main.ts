import { databaseEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { billingDatabase } from './database/database.js';

await runService({
  name: 'billing',
  defaultPort: 9104,
  env: { ...databaseEnv },
  status: rpc.billingStatus,
  consumes: true,
  modules: (config) => [billingDatabase(config.DATABASE_URL)],
});
