import { randomUUID } from 'node:crypto';

import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { REDIS } from '@llmaas/redis';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type Redis } from 'ioredis';

import { AuditBuffer } from '../events/event-buffer.js';
import { CatalogDirectory } from '@llmaas/service-kit';
import { lifecycleHeaders, unavailableModel } from '../catalog/lifecycle-headers.js';
import { type GatewayConfig } from '../gateway.config.js';
import { ApiError } from '../http/api-error.js';
import { installRequestSpans } from '../http/request-span.js';
import { HopTiming } from '../http/server-timing.js';
import { Authenticator, assertModelAllowed, assertRole, rolesForApiPath } from './authenticator.js';
import './principal.js';

const pathOf = (url: string) => url.split('?', 1)[0] ?? url;
// Rerank also answers where Cohere's and TEI's clients call it (COMPAT.md §9).
const isApi = (path: string) => path === '/v1' || path.startsWith('/v1/') || path === '/v2/rerank' || path === '/rerank';
const isAdmin = (path: string) => path.startsWith('/admin/');

function send(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.toBody());
}

/**
 * Authentication for every /v1 and /admin/v1 request, as Fastify hooks so that it also guards
 * paths no route matches (an unknown /v1 path answers 401 to a stranger, 404 to a key holder).
 * The key is checked before the body is read; the model, which is in the body, just after.
 * Every authenticated request leaves one audit event, after its response.
 */
export function installRequestAuth(app: NestFastifyApplication): void {
  const authenticator = app.get(Authenticator);
  const audit = app.get(AuditBuffer);
  const catalog = app.get(CatalogDirectory);
  const redis = app.get<Redis>(REDIS);
  const config = app.get<GatewayConfig>(SERVICE_CONFIG);
  const fastify = app.getHttpAdapter().getInstance();
  installRequestSpans(fastify, isApi);

  /** Failed attempts per address and minute; past the limit they get 429 instead of 401. */
  async function throttled(ip: string): Promise<number | null> {
    try {
      const key = `authfail:${ip}`;
      const [[, count], [, ttl]] = (await redis.multi().incr(key).expire(key, 60, 'NX').ttl(key).exec()) as [[null, number], [null, number], [null, number]];
      return count > config.INVALID_KEY_LIMIT ? Math.max(ttl, 1) : null;
    } catch {
      return null; // Redis down: fall back to plain 401s rather than refusing everyone.
    }
  }

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request.url);
    if (!isApi(path) && !isAdmin(path)) return;
    if (isApi(path)) request.timing = new HopTiming();
    try {
      const { principal, tenant } = authenticator.authenticate(request.headers.authorization);
      if (isApi(path)) assertRole(principal, rolesForApiPath(path));
      request.principal = principal;
      request.tenant = tenant;
      request.timing?.mark('auth');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // Only guesses count (unknown or malformed keys): a revoked or expired key is a known one.
      if (error.code === 'invalid_api_key') {
        const retryAfter = await throttled(request.ip);
        if (retryAfter !== null) {
          return send(reply, new ApiError(429, 'rate_limit_error', 'Too many requests with invalid API keys from this address; slow down.', 'too_many_invalid_keys', null, { 'retry-after': String(retryAfter) }));
        }
      }
      return send(reply, error);
    }
  });

  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as { model?: unknown } | undefined;
    request.timing?.mark('parse');
    // Only the API's `model` names a model to serve; an admin body's `model` is for its own route.
    if (typeof body?.model !== 'string' || !isApi(pathOf(request.url))) return;
    try {
      checkModelAccess(catalog, request, reply, body.model);
    } catch (error) {
      if (error instanceof ApiError) return send(reply, error);
      throw error;
    }
  });

  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const principal = request.principal;
    if (principal) {
      const body = request.body as { model?: unknown } | undefined;
      audit.add({
        eventId: randomUUID(),
        at: new Date().toISOString(),
        tenantId: principal.tenantId,
        keyId: principal.keyId,
        actor: `key:${principal.keyId}`,
        source: 'gateway',
        action: `${request.method} ${request.routeOptions.url ?? pathOf(request.url)}`,
        resource: pathOf(request.url),
        model: typeof body?.model === 'string' ? body.model : null,
        httpStatus: reply.statusCode,
        requestId: String(request.id),
        clientAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        tokens: request.usageTokens ?? null,
        // Fastify's measure of the whole request, from its arrival to the last byte sent.
        latencyMs: Math.round(reply.elapsedTime * 10) / 10,
      });
    }
    done();
  });
}

/**
 * The key and the tenant may use the model, and the catalog serves it to them: unknown (404),
 * removed (410 naming the migration), or served, with deprecation headers during the notice.
 * Run by the preHandler hook for JSON bodies, and by routes whose model arrives another way
 * (a multipart form field).
 */
export function checkModelAccess(catalog: CatalogDirectory, request: FastifyRequest, reply: FastifyReply, modelId: string): void {
  if (!request.principal || !request.tenant) return;
  assertModelAllowed(request.principal, request.tenant, modelId);
  const model = catalog.get(modelId);
  const unavailable = unavailableModel(modelId, model, { tenantId: request.tenant.tenantId, betaOptIn: request.tenant.betaOptIn });
  if (unavailable) throw unavailable;
  if (model) void reply.headers(lifecycleHeaders(model));
  request.timing?.mark('catalog');
}
