import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PRINCIPAL_HEADER, signIdentity } from '@llmaas/api-keys';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Pool } from 'undici';
import { type Readable } from 'node:stream';

import { callerOf } from '../auth/principal.js';
import { type GatewayConfig } from '../gateway.config.js';
import { ApiError } from '../http/api-error.js';

const RELAYED = ['content-type', 'content-length', 'content-disposition'];

/**
 * The Files API (and the tenant's webhook secret) forwarded to the batch service over HTTP as
 * streams, both ways: a 200 MB upload or download never sits in the gateway's memory, and never
 * goes through Kafka (decision 0009). The caller's identity travels signed.
 */
export function installFileProxy(app: NestFastifyApplication): Pool {
  const fastify = app.getHttpAdapter().getInstance();
  const config = app.get<GatewayConfig>(SERVICE_CONFIG);
  const batch = new Pool(config.BATCH_URL, { connections: 64, keepAliveTimeout: 30_000, headersTimeout: 120_000, bodyTimeout: 600_000 });

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = callerOf(request);
    const headers: Record<string, string> = { [PRINCIPAL_HEADER]: signIdentity(config.SERVICE_AUTH_SECRET, caller), 'x-request-id': String(request.id) };
    let body: Readable | undefined;
    if (request.method === 'POST' && request.url.split('?', 1)[0] === '/v1/files') {
      if (!request.isMultipart()) {
        throw new ApiError(400, 'invalid_request_error', "Send the file as multipart/form-data with a 'file' part and a 'purpose' field, as the OpenAI SDKs do.", 'invalid_content_type', 'file');
      }
      headers['content-type'] = request.headers['content-type']!;
      if (request.headers['content-length']) headers['content-length'] = request.headers['content-length'];
      body = request.raw;
    }
    let upstream;
    try {
      upstream = await batch.request({ path: request.url, method: request.method, headers, body });
    } catch (error) {
      request.log.warn({ err: error }, 'batch service unreachable');
      throw new ApiError(503, 'service_unavailable', 'The file service is unavailable; retry shortly.', 'service_unavailable', null, { 'retry-after': '1' });
    }
    void reply.code(upstream.statusCode);
    for (const name of RELAYED) {
      const value = upstream.headers[name];
      if (typeof value === 'string') void reply.header(name, value);
    }
    return reply.send(upstream.body);
  };
  const route = (method: 'GET' | 'POST' | 'DELETE', url: string) =>
    fastify.route({
      method,
      url,
      handler: async (request, reply) => {
        try {
          return await forward(request, reply);
        } catch (error) {
          const apiError = error instanceof ApiError ? error : new ApiError(500, 'server_error', 'The server had an error while processing your request.', 'internal_error');
          return reply.code(apiError.status).headers(apiError.headers).send(apiError.toBody());
        }
      },
    });
  route('POST', '/v1/files');
  route('GET', '/v1/files');
  route('GET', '/v1/files/:id');
  route('DELETE', '/v1/files/:id');
  route('GET', '/v1/files/:id/content');
  route('GET', '/v1/webhook_secret');
  route('POST', '/v1/webhook_secret/rotate');
  return batch;
}
