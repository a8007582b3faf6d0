import { Controller, Get, Req } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';

import { ApiError } from '../http/api-error.js';
import { callerOf } from './principal.js';

/**
 * GET /v1/me: who the calling key is, answered from what the authentication hook already holds
 * (the key's record and its tenant's, from the in-memory copy of `auth`): no RPC, never the secret.
 */
@Controller('v1/me')
export class MeController {
  @Get()
  me(@Req() req: FastifyRequest) {
    const principal = callerOf(req);
    const tenant = req.tenant;
    if (!tenant) throw new ApiError(401, 'authentication_error', 'Authentication required.', 'missing_api_key');
    return {
      object: 'api_key' as const,
      key_id: principal.keyId,
      tenant_id: principal.tenantId,
      role: principal.role,
      models: principal.models,
      tenant: { id: tenant.tenantId, name: tenant.name, tier: tenant.tier, status: tenant.status },
    };
  }
}
