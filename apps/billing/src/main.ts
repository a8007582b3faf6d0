import { databaseEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

await runService({
  name: 'billing',
  defaultPort: 9104,
  env: { ...databaseEnv },
  status: rpc.billingStatus,
  consumes: true,
  modules: () => [],
});
