import { type Principal, type TenantRecord } from '@llmaas/contracts';
import { type FastifyRequest } from 'fastify';

import { ApiError } from '../http/api-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every /v1 and /admin/v1 request that got through. */
    principal?: Principal;
    tenant?: TenantRecord;
    /** Tokens an inference request consumed (input + output), for its audit record. */
    usageTokens?: number;
  }
}

export type { Principal };

/** The authenticated caller of a request (the hook refused the request otherwise). */
export function callerOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError(401, 'authentication_error', 'Authentication required.', 'missing_api_key');
  return req.principal;
}
