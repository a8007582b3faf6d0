import { randomUUID } from 'node:crypto';

import { rpc } from '@llmaas/contracts';
import { RedisModule } from '@llmaas/redis';
import { runService } from '@llmaas/service-kit';

import { AdminKeyGuard } from './admin/admin-key.guard.js';
import { PlatformStatusController, statusRpcs } from './admin/platform-status.controller.js';
import { gatewayEnv } from './gateway.config.js';
import { OpenAiExceptionFilter } from './http/openai-exception.filter.js';

await runService({
  name: 'gateway',
  defaultPort: 8080,
  env: gatewayEnv,
  consumes: false,
  calls: [...statusRpcs, rpc.schedulerFleet],
  fastify: (config) => ({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Honour the caller's request id (SDKs and proxies send one) or make one; echoed on every response.
    requestIdHeader: 'x-request-id',
    genReqId: () => `req_${randomUUID().replaceAll('-', '')}`,
  }),
  configureApp: (app) => {
    app.useGlobalFilters(new OpenAiExceptionFilter());
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', (request, reply, payload, done) => {
        void reply.header('x-request-id', request.id);
        done(null, payload);
      });
  },
  modules: (config) => [RedisModule.forRoot(config.REDIS_URL)],
  controllers: [PlatformStatusController],
  providers: [AdminKeyGuard],
});
