import { randomUUID } from 'node:crypto';

import multipart from '@fastify/multipart';
import { rpc } from '@llmaas/contracts';
import { RedisModule } from '@llmaas/redis';
import { CatalogDirectory, SERVICE_CONFIG, runService } from '@llmaas/service-kit';

import { FleetAdminController } from './admin/fleet-admin.controller.js';
import { KeysAdminController } from './admin/keys-admin.controller.js';
import { ModelsAdminController } from './admin/models-admin.controller.js';
import { PlatformStatusController, statusRpcs } from './admin/platform-status.controller.js';
import { TenantsAdminController } from './admin/tenants-admin.controller.js';
import { AuditBuffer, UsageBuffer } from './events/event-buffer.js';
import { AlertTable } from './alerts/alert-table.service.js';
import { AlertsController } from './alerts/alerts.controller.js';
import { BatchesController } from './batch/batches.controller.js';
import { installFileProxy } from './batch/file-proxy.js';
import { installConsole } from './console/console-static.js';
import { installInferenceRoutes } from './inference/inference-routes.js';
import { SchedulerLink } from './inference/scheduler-link.service.js';
import { QuotaDirectory } from './limits/quota-directory.service.js';
import { EstimateController } from './billing/estimate.controller.js';
import { BillingAdminController, FinanceController } from './billing/finance.controller.js';

import { ModelsController } from './catalog/models.controller.js';
import { MeController } from './auth/me.controller.js';
import { StatusPageController } from './catalog/status-page.controller.js';
import { Authenticator } from './auth/authenticator.js';
import { KeyDirectory } from './auth/key-directory.service.js';
import { installRequestAuth } from './auth/request-auth.hooks.js';
import { RolesGuard } from './auth/roles.guard.js';
import { gatewayEnv, type GatewayConfig } from './gateway.config.js';
import { OpenAiExceptionFilter } from './http/openai-exception.filter.js';

const adminCalls = [rpc.tenantCreate, rpc.tenantList, rpc.tenantGet, rpc.tenantUpdate, rpc.keyCreate, rpc.keyList, rpc.keyGet, rpc.keyRotate, rpc.keyRevoke, rpc.keySuccessorSecret, rpc.auditQuery, rpc.auditVerify];
const billingCalls = [rpc.billingEstimate, rpc.billingUsage, rpc.invoiceList, rpc.invoiceGet, rpc.periodClose, rpc.creditNoteCreate, rpc.budgetSet, rpc.tierPut, rpc.invoicePreview, rpc.priceBookList, rpc.priceBookCreate];
const batchCalls = [rpc.batchCreate, rpc.batchGet, rpc.batchList, rpc.batchCancel];
const catalogCalls = [rpc.modelList, rpc.modelGet, rpc.modelCreate, rpc.modelUpdate, rpc.modelPromote, rpc.modelDeprecate, rpc.modelWithdraw, rpc.modelGrant, rpc.modelRevokeGrant];

await runService({
  name: 'gateway',
  defaultPort: 8080,
  env: gatewayEnv,
  consumes: false,
  calls: [...statusRpcs, rpc.schedulerFleet, rpc.fleetCommand, ...adminCalls, ...catalogCalls, ...billingCalls, ...batchCalls],
  fastify: (config) => ({
    bodyLimit: config.BODY_LIMIT_BYTES,
    // Honour the caller's request id (SDKs and proxies send one) or make one; echoed on every response.
    requestIdHeader: 'x-request-id',
    genReqId: () => `req_${randomUUID().replaceAll('-', '')}`,
  }),
  configureApp: (app) => {
    app.useGlobalFilters(new OpenAiExceptionFilter());
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onSend', (request, reply, payload, done) => {
      void reply.header('x-request-id', request.id);
      done(null, payload);
    });
    // The Python SDK sends `content-type: application/json` with no body on DELETE and on
    // bodyless POSTs (batches.cancel); Fastify would refuse those with a 400. No body, no type.
    fastify.addHook('onRequest', (request, _reply, done) => {
      const h = request.headers;
      if (h['content-type'] !== undefined && (h['content-length'] === '0' || (h['content-length'] === undefined && h['transfer-encoding'] === undefined))) delete h['content-type'];
      done();
    });
    // Multipart only where a route reads it (transcriptions): limits are set per request there.
    void fastify.register(multipart);
    installRequestAuth(app);
    installInferenceRoutes(app);
    installFileProxy(app);
    installConsole(app);
  },
  modules: (config) => [RedisModule.forRoot(config.REDIS_URL)],
  controllers: [PlatformStatusController, FleetAdminController, TenantsAdminController, KeysAdminController, ModelsAdminController, ModelsController, MeController, StatusPageController, EstimateController, FinanceController, BillingAdminController, BatchesController, AlertsController],
  providers: [
    KeyDirectory,
    CatalogDirectory,
    AuditBuffer,
    UsageBuffer,
    SchedulerLink,
    QuotaDirectory,
    AlertTable,
    RolesGuard,
    { provide: Authenticator, useFactory: (directory: KeyDirectory, config: GatewayConfig) => new Authenticator(config.KEY_HASH_SECRET, directory), inject: [KeyDirectory, SERVICE_CONFIG] },
  ],
});
