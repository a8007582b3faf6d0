import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Role } from '@llmaas/contracts';
import { type FastifyRequest } from 'fastify';

import { ApiError } from '../http/api-error.js';
import { assertRole } from './authenticator.js';
import './principal.js';

const ROLES = 'llmaas:roles';

/** The roles that may call an admin route (checked against the key's role). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) throw new ApiError(401, 'authentication_error', 'Authentication required.', 'missing_api_key');
    // A route without @Roles is a mistake, not an open door.
    assertRole(principal, roles ?? []);
    return true;
  }
}
