import { redisEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { RedisModule } from '@llmaas/redis';
import { runService } from '@llmaas/service-kit';

// The guard keeps each tenant's recent prompts in Redis (behavioural layer); its analysis
// layers and `guard.check` arrive with the prompt-guard issue.
await runService({
  name: 'prompt-guard',
  defaultPort: 9102,
  env: { ...redisEnv },
  status: rpc.guardStatus,
  consumes: true,
  modules: (config) => [RedisModule.forRoot(config.REDIS_URL)],
});
