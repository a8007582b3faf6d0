import { createHash, timingSafeEqual } from 'node:crypto';

import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { type FastifyRequest } from 'fastify';

import { type GatewayConfig } from '../gateway.config.js';
import { ApiError } from '../http/api-error.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Admin routes need the operator key; compared in constant time on fixed-length digests. */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    this.expected = digest(config.LLMAAS_ADMIN_KEY);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) throw new ApiError(401, 'authentication_error', 'Missing bearer token in the Authorization header.', 'missing_api_key');
    if (!timingSafeEqual(digest(token), this.expected)) {
      throw new ApiError(401, 'authentication_error', 'Incorrect API key provided.', 'invalid_api_key');
    }
    return true;
  }
}
