import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { authEnv } from './auth.config.js';
import { AuthModule } from './auth.module.js';
import { authDatabase } from './database/database.js';

await runService({
  name: 'auth',
  defaultPort: 9101,
  env: authEnv,
  status: rpc.authStatus,
  consumes: true,
  modules: (config) => [authDatabase(config.DATABASE_URL), AuthModule],
});
