import { redisEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { RedisModule } from '@llmaas/redis';
import { runService } from '@llmaas/service-kit';

import { GuardController } from './guard/guard.controller.js';
import { PromptHistory } from './guard/prompt-history.service.js';
import { VerdictLog } from './guard/verdict-log.service.js';

// `guard.check` answers with layers 1 (structure), 2 (patterns) and 3 (behaviour: each key's recent
// prompts in Redis); the learned layer arrives with the rest of the prompt-guard issue.
await runService({
  name: 'prompt-guard',
  defaultPort: 9102,
  env: { ...redisEnv },
  // Whole prompts arrive on guard.check: as large as the gateway accepts.
  fastify: () => ({ bodyLimit: 48 * 1024 * 1024 }),
  status: rpc.guardStatus,
  consumes: true,
  modules: (config) => [RedisModule.forRoot(config.REDIS_URL)],
  controllers: [GuardController],
  providers: [VerdictLog, PromptHistory],
});
