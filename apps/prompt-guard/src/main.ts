import { redisEnv, secret } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { RedisModule } from '@llmaas/redis';
import { runService, SERVICE_CONFIG } from '@llmaas/service-kit';
import { z } from 'zod';

import { GuardController } from './guard/guard.controller.js';
import { GuardMetrics } from './guard/guard-metrics.js';
import { PromptHistory } from './guard/prompt-history.service.js';
import { VerdictLog } from './guard/verdict-log.service.js';
import { OPINION, secondOpinionFrom } from './opinion/second-opinion.js';

// `guard.check` answers with layers 1 (structure), 2 (patterns), 3 (behaviour: each key's recent
// prompts in Redis) and 4 (a learned n-gram model), plus, where an operator points it at an engine
// serving one, a guard model's opinion on borderline scores.
await runService({
  name: 'prompt-guard',
  defaultPort: 9102,
  env: {
    ...redisEnv,
    GUARD_OPINION_URL: z.url({ protocol: /^https?$/ }).optional().describe('OpenAI-compatible base URL of an engine serving a guard model (granite3-guardian); unset = no second opinion'),
    GUARD_OPINION_MODEL: z.string().min(1).default('granite3-guardian:2b').describe('The guard model asked about borderline prompts'),
    GUARD_OPINION_API_KEY: secret(z.string().min(1).optional().describe('Bearer token for that engine, if it wants one')),
    GUARD_OPINION_MARGIN: z.coerce.number().gt(0).lt(1).default(0.2).describe('Scores this close to the tenant threshold are borderline'),
    GUARD_OPINION_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(1500).describe('How long a borderline verdict waits for the guard model'),
    GUARD_OPINION_RISK: z.string().min(1).default('jailbreak').describe('The risk the guard model is asked about (its system message)'),
  },
  // Whole prompts arrive on guard.check: as large as the gateway accepts.
  fastify: () => ({ bodyLimit: 48 * 1024 * 1024 }),
  status: rpc.guardStatus,
  consumes: true,
  modules: (config) => [RedisModule.forRoot(config.REDIS_URL)],
  controllers: [GuardController],
  providers: [VerdictLog, PromptHistory, GuardMetrics, { provide: OPINION, inject: [SERVICE_CONFIG], useFactory: secondOpinionFrom }],
});
