import { type Principal, type TenantRecord } from '@llmaas/contracts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every /v1 and /admin/v1 request that got through. */
    principal?: Principal;
    tenant?: TenantRecord;
  }
}

export type { Principal };
