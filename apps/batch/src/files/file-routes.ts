import multipart from '@fastify/multipart';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PRINCIPAL_HEADER, verifyIdentity } from '@llmaas/api-keys';
import { principal as principalSchema, type Principal } from '@llmaas/contracts';
import { SERVICE_CONFIG } from '@llmaas/service-kit';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';

import { type BatchConfig } from '../batch.config.js';
import { Clock } from '../execution/clock.js';
import { DataKeys } from '../storage/data-keys.service.js';
import { FilesService, type UploadFields } from './files.service.js';
import { HttpFailure } from './http-failure.js';

const listQuery = z.object({
  purpose: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(10_000),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().min(1).max(200).optional(),
});

/**
 * The Files API on the batch service's port, for the gateway only: it forwards the multipart body
 * as a stream (file bodies never go through Kafka, nor whole into memory) with the caller's
 * identity signed by the secret both share (decision 0009). Answers are OpenAI's shapes, relayed.
 */
export function installFileRoutes(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const config = app.get<BatchConfig>(SERVICE_CONFIG);
  const files = app.get(FilesService);
  const keys = app.get(DataKeys);
  const clock = app.get(Clock);
  void fastify.register(multipart, { limits: { fileSize: config.BATCH_MAX_FILE_BYTES + 1, files: 1, fields: 20, fieldSize: 4096 }, throwFileSizeLimit: true });

  const callerOf = (request: FastifyRequest): Principal => {
    const header = request.headers[PRINCIPAL_HEADER];
    const identity = verifyIdentity(config.SERVICE_AUTH_SECRET, typeof header === 'string' ? header : undefined);
    const parsed = identity ? principalSchema.safeParse(identity) : null;
    if (!parsed?.success) throw new HttpFailure(401, 'This endpoint is reached through the gateway only.', 'unsigned_request', null, 'authentication_error');
    return parsed.data;
  };
  const handle =
    (fn: (request: FastifyRequest, reply: FastifyReply, caller: Principal) => Promise<unknown>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await fn(request, reply, callerOf(request));
      } catch (error) {
        const failure = asFailure(error);
        if (failure.status >= 500) request.log.error({ err: error }, 'file request failed');
        // A refused upload leaves an unread body behind. Read it to the end (discarded) before
        // answering: closing instead would cut the gateway's stream mid-send, and it would see a
        // broken connection rather than this answer.
        if (request.method === 'POST') await drained(request.raw);
        return reply.code(failure.status).send(failure.toBody());
      }
    };

  fastify.post('/v1/files', handle(async (request, _reply, caller) => {
    if (!request.isMultipart()) throw new HttpFailure(400, "Send the file as multipart/form-data with a 'file' part and a 'purpose' field, as the OpenAI SDKs do.", 'invalid_content_type', 'file');
    const fields: UploadFields = {};
    const iterator = request.parts()[Symbol.asyncIterator]();
    const take = (name: string, value: unknown) => {
      const text = typeof value === 'string' ? value : String(value);
      if (name === 'purpose') fields.purpose = text;
      else if (name === 'expires_after[anchor]' || name === 'expires_after.anchor') fields.expiresAfterAnchor = text;
      else if (name === 'expires_after[seconds]' || name === 'expires_after.seconds') fields.expiresAfterSeconds = text;
    };
    for (;;) {
      const next = await iterator.next();
      if (next.done) throw new HttpFailure(400, "Missing required parameter: 'file'.", 'missing_required_parameter', 'file');
      const part = next.value;
      if (part.type === 'field') {
        take(part.fieldname, part.value);
        continue;
      }
      if (part.fieldname !== 'file') throw new HttpFailure(400, `Unexpected file part '${part.fieldname}': the upload goes in 'file'.`, 'invalid_request', part.fieldname);
      const readFields = async () => {
        for (;;) {
          const rest = await iterator.next();
          if (rest.done) return fields;
          if (rest.value.type === 'file') throw new HttpFailure(400, 'One file per upload.', 'invalid_request', 'file');
          take(rest.value.fieldname, rest.value.value);
        }
      };
      return files.upload(caller, { filename: part.filename || 'upload', chunks: part.file }, readFields);
    }
  }));

  fastify.get('/v1/files', handle(async (request, _reply, caller) => files.list(caller, parse(listQuery, request.query))));
  fastify.get<{ Params: { id: string } }>('/v1/files/:id', handle(async (request, _reply, caller) => files.get(caller, (request.params as { id: string }).id)));
  fastify.delete<{ Params: { id: string } }>('/v1/files/:id', handle(async (request, _reply, caller) => files.delete(caller, (request.params as { id: string }).id)));
  fastify.get<{ Params: { id: string } }>('/v1/files/:id/content', handle(async (request, reply, caller) => {
    const { row, body } = await files.content(caller, (request.params as { id: string }).id);
    const type = row.filename.endsWith('.jsonl') ? 'application/jsonl' : 'application/octet-stream';
    return reply
      .header('content-type', type)
      .header('content-length', String(row.bytes))
      .header('content-disposition', `attachment; filename="${row.filename.replace(/["\\\r\n]/g, '_')}"`)
      .send(body);
  }));

  // The secret that signs the tenant's batch webhooks: a tenant admin reads it, or replaces it.
  fastify.get('/v1/webhook_secret', handle(async (_request, _reply, caller) => ({ object: 'webhook_secret', secret: await keys.webhookSecret(caller.tenantId) })));
  fastify.post('/v1/webhook_secret/rotate', handle(async (_request, _reply, caller) => ({ object: 'webhook_secret', secret: await keys.webhookSecret(caller.tenantId, true) })));

  if (config.BATCH_TEST_CLOCK) {
    fastify.post('/internal/test-clock', (request) => {
      // Tests only: BATCH_TEST_CLOCK is false unless a test starts this service with it.
      const { advance_seconds } = parse(z.object({ advance_seconds: z.number().int().positive() }), request.body);
      return Promise.resolve({ now: clock.advance(advance_seconds * 1000).toISOString() });
    });
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HttpFailure(400, z.prettifyError(result.error), 'invalid_value', issue?.path.join('.') || null);
}

/** Waits until the rest of a request body has arrived, discarding it (at most a minute). */
function drained(raw: NodeJS.ReadableStream & { readableEnded?: boolean; unpipe(): unknown; resume(): unknown }): Promise<void> {
  if (raw.readableEnded) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    raw.once('end', done);
    raw.once('error', done);
    raw.once('close', done);
    // The multipart parser stopped reading; nothing else will.
    raw.unpipe();
    raw.resume();
  });
}

function asFailure(error: unknown): HttpFailure {
  if (error instanceof HttpFailure) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new HttpFailure(413, 'The upload is larger than the file size limit.', 'file_too_large', 'file');
  if (typeof code === 'string' && code.startsWith('FST_')) return new HttpFailure(400, `The multipart form could not be read: ${(error as Error).message}`, 'invalid_request', 'file');
  return new HttpFailure(500, 'The server had an error while processing your request.', 'internal_error', null);
}
