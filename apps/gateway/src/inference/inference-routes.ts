import { PassThrough } from 'node:stream';

import { context } from '@opentelemetry/api';

import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type CatalogModel, type InferenceUsage } from '@llmaas/contracts';
import { REDIS } from '@llmaas/redis';
import { CatalogDirectory, SERVICE_CONFIG } from '@llmaas/service-kit';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { type Redis } from 'ioredis';
import { type z } from 'zod';

import { checkModelAccess } from '../auth/request-auth.hooks.js';
import { UsageBuffer } from '../events/event-buffer.js';
import { type GatewayConfig } from '../gateway.config.js';
import { ApiError } from '../http/api-error.js';
import { toApiError } from '../http/error-mapping.js';
import { parseInput } from '../http/parse-input.js';
import { NoCapacityError, type Lease } from '@llmaas/credits';
import { IdempotencyStore, MAX_STORED_BYTES } from './idempotency.js';
import { CLIENT_CLOSED, InferenceMetrics, NO_MODEL, workerErrorType } from './inference-metrics.js';
import { GuardClient, guardRefusal, promptTexts } from './prompt-guard.js';
import { QuotaDirectory } from '../limits/quota-directory.service.js';
import { admissionFor, budgetRefusal, type Admitted } from '../limits/admission.js';
import { RequestLimiter } from '../limits/request-limiter.js';
import { chatRequest, completionKinds, completionRequest, embeddingRequest, endpointForKind, rerankRequest, transcriptionRequest, visionKinds, type ChatRequest, type RerankRequest, type TranscriptionRequest } from './request-schemas.js';
import { readTranscriptionForm } from './transcription-form.js';
import { SchedulerLink } from './scheduler-link.service.js';
import { relaySse, type StreamUsage } from './sse-relay.js';
import { estimatePromptTokens } from './usage-estimate.js';
import { WorkerClient } from '@llmaas/credits';

interface Counted {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  documents: number;
  audioSeconds: number;
}

interface Route {
  path: string;
  /** The worker's path for this call. */
  workerPath: string;
  schema: z.ZodType<{ model: string }>;
  accepts: (model: CatalogModel, body: Record<string, unknown>) => ApiError | null;
  /** The body the worker gets (e.g. always asking a stream for its usage). */
  toWorker?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** The response the client gets, from the worker's JSON (e.g. Cohere's rerank shape); a string is sent as text/plain. */
  toClient?: (body: Record<string, unknown>, request: Record<string, unknown>) => unknown;
  count: (response: Record<string, unknown>, request: Record<string, unknown>) => Counted;
  /** Generative routes: their prompts go through the prompt guard. */
  guarded?: boolean;
}

const wrongEndpoint = (model: CatalogModel, path: string) =>
  new ApiError(400, 'invalid_request_error', `The model '${model.id}' is a ${model.kind} model: call ${endpointForKind[model.kind]}, not ${path}.`, 'wrong_endpoint', 'model');

const usageOf = (u: StreamUsage | undefined | null): Counted => ({
  inputTokens: u?.prompt_tokens ?? 0,
  outputTokens: u?.completion_tokens ?? 0,
  reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? 0,
  documents: 0,
  audioSeconds: 0,
});

function hasImages(body: ChatRequest): boolean {
  return body.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'));
}

const streamWithUsage = (body: Record<string, unknown>) => (body.stream === true ? { ...body, stream_options: { ...(body.stream_options as object | undefined), include_usage: true } } : body);

const routes: Route[] = [
  {
    path: '/v1/chat/completions',
    workerPath: '/v1/chat/completions',
    schema: chatRequest,
    accepts: (model, body) => {
      if (endpointForKind[model.kind] !== '/v1/chat/completions') return wrongEndpoint(model, '/v1/chat/completions');
      if (!visionKinds.has(model.kind) && hasImages(body as ChatRequest)) {
        return new ApiError(400, 'invalid_request_error', `The model '${model.id}' does not read images; use a chat-vision or ocr model.`, 'image_input_not_supported', 'messages');
      }
      return null;
    },
    toWorker: streamWithUsage,
    count: (r) => usageOf(r.usage as StreamUsage | undefined),
    guarded: true,
  },
  {
    path: '/v1/completions',
    workerPath: '/v1/completions',
    schema: completionRequest,
    accepts: (model) => (completionKinds.has(model.kind) ? null : wrongEndpoint(model, '/v1/completions')),
    toWorker: streamWithUsage,
    count: (r) => usageOf(r.usage as StreamUsage | undefined),
    guarded: true,
  },
  {
    path: '/v1/embeddings',
    workerPath: '/v1/embeddings',
    schema: embeddingRequest,
    accepts: (model) => (model.kind === 'embedding' ? null : wrongEndpoint(model, '/v1/embeddings')),
    count: (r) => usageOf(r.usage as StreamUsage | undefined),
  },
  ...['/v1/rerank', '/rerank'].map(
    (path): Route => ({
      path,
      workerPath: '/v1/rerank',
      schema: rerankRequest,
      accepts: (model) => (model.kind === 'rerank' ? null : wrongEndpoint(model, path)),
      toWorker: (b) => ({ ...b, documents: (b as RerankRequest).documents ?? (b as RerankRequest).texts }),
      count: (r, req) => ({ ...usageOf(r.usage as StreamUsage | undefined), documents: ((req as RerankRequest).documents ?? (req as RerankRequest).texts ?? []).length }),
    }),
  ),
  {
    // Cohere v2 (LangChain CohereRerank, Haystack CohereRanker): same engine, Cohere's shapes.
    path: '/v2/rerank',
    workerPath: '/v1/rerank',
    schema: rerankRequest,
    accepts: (model) => (model.kind === 'rerank' ? null : wrongEndpoint(model, '/v2/rerank')),
    toWorker: (b) => ({ ...b, return_documents: false }),
    toClient: (r) => ({
      id: r.id,
      results: ((r.results as { index: number; relevance_score: number }[] | undefined) ?? []).map((x) => ({ index: x.index, relevance_score: x.relevance_score })),
      meta: { api_version: { version: '2' }, billed_units: { search_units: 1 }, tokens: { input_tokens: (r.usage as StreamUsage | undefined)?.prompt_tokens ?? 0, output_tokens: 0 } },
    }),
    count: (r, req) => ({ ...usageOf(r.usage as StreamUsage | undefined), documents: ((req as RerankRequest).documents ?? []).length }),
  },
];

/** Transcriptions arrive as multipart (the SDKs' `file` upload) and go to the worker as JSON. */
const transcriptionRoute: Route = {
  path: '/v1/audio/transcriptions',
  workerPath: '/v1/audio/transcriptions',
  schema: transcriptionRequest,
  accepts: (model) => (model.kind === 'audio-transcription' ? null : wrongEndpoint(model, '/v1/audio/transcriptions')),
  toWorker: ({ response_format: _format, ...rest }) => rest,
  toClient: (r, req) => {
    const format = (req as TranscriptionRequest).response_format;
    const seconds = Number(r.duration ?? 0);
    if (format === 'text') return `${typeof r.text === 'string' ? r.text : ''}\n`;
    if (format === 'verbose_json') return { task: 'transcribe', language: (req as TranscriptionRequest).language ?? 'en', duration: seconds, text: r.text, segments: [] };
    return { text: r.text, usage: { type: 'duration', seconds: Math.ceil(seconds) } };
  },
  count: (r) => ({ inputTokens: 0, outputTokens: 0, reasoningTokens: 0, documents: 0, audioSeconds: Number(r.duration ?? 0) }),
};

/**
 * The OpenAI-compatible inference endpoints, as plain Fastify routes (this is the benchmarked
 * path: no Nest pipeline per request). Authentication, the model's permission and lifecycle
 * already ran in the request-auth hooks. Here: the body's shape, the model's kind for this
 * endpoint, a slot from the gateway's credits, the worker call, and one usage event.
 */
/** Runs the request's work in its server span's context (the guard call and the usage event join the trace). */
const inTrace = <T>(request: FastifyRequest, fn: () => Promise<T>): Promise<T> => (request.trace ? context.with(request.trace.context, fn) : fn());

export function installInferenceRoutes(app: NestFastifyApplication): WorkerClient {
  const fastify = app.getHttpAdapter().getInstance();
  const catalog = app.get(CatalogDirectory);
  const scheduler = app.get(SchedulerLink);
  const usage = app.get(UsageBuffer);
  const config = app.get<GatewayConfig>(SERVICE_CONFIG);
  const guard = new GuardClient(config.GUARD_URL, config.GUARD_TIMEOUT_MS);
  const idempotency = new IdempotencyStore(app.get<Redis>(REDIS));
  const workers = new WorkerClient();
  const quotas = app.get(QuotaDirectory);
  const limiter = new RequestLimiter(app.get<Redis>(REDIS));
  const metrics = new InferenceMetrics();

  /** The catalog id the body names, else NO_MODEL: a client's string never becomes a label. */
  const modelLabel = (request: FastifyRequest): string => {
    const model = (request.body as { model?: unknown } | null | undefined)?.model;
    return (typeof model === 'string' && catalog.get(model)?.id) || NO_MODEL;
  };
  /**
   * Every answer that reached its last byte is counted here, whoever sent it (the authentication
   * and model hooks' refusals, Fastify's own 400s, the routes). One hook per route, built once.
   */
  const answered = (endpoint: string) => (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.answered(request, reply, endpoint, modelLabel(request), reply.statusCode);
    done();
  };
  /** A caller gone before the answer's last byte: Fastify calls no onResponse hook then. */
  const left = (request: FastifyRequest, reply: FastifyReply, endpoint: string) => {
    if (reply.raw.destroyed && !reply.raw.writableFinished) metrics.answered(request, reply, endpoint, modelLabel(request), CLIENT_CLOSED);
  };

  const fail = (request: FastifyRequest, reply: FastifyReply, error: unknown, endpoint: string) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, 'inference request failed');
    request.errorType = apiError.type;
    left(request, reply, endpoint);
    return reply.code(apiError.status).headers(apiError.headers).send(apiError.toBody());
  };
  for (const route of routes) {
    fastify.post(route.path, { onResponse: answered(route.path) }, async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await inTrace(request, () => serve(route, request, reply));
      } catch (error) {
        return fail(request, reply, error, route.path);
      }
    });
  }
  fastify.post(transcriptionRoute.path, { onResponse: answered(transcriptionRoute.path) }, async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      request.body = await readTranscriptionForm(request);
      const model = (request.body as { model?: unknown }).model;
      if (typeof model === 'string') checkModelAccess(catalog, request, reply, model);
      return await inTrace(request, () => serve(transcriptionRoute, request, reply));
    } catch (error) {
      return fail(request, reply, error, transcriptionRoute.path);
    }
  });

  async function serve(route: Route, request: FastifyRequest, reply: FastifyReply) {
    const started = performance.now();
    // Time already spent on this request (hooks, body) before `started`: the TTFT starts at receipt.
    const receivedMs = reply.elapsedTime;
    const startedAt = new Date();
    const body = parseInput(route.schema, request.body) as Record<string, unknown> & { model: string };
    const principal = request.principal;
    if (!principal) throw new ApiError(401, 'authentication_error', 'Authentication required.', 'missing_api_key');
    // The preHandler hook answered 404/410 already; a model is in the catalog here.
    const model = catalog.get(body.model);
    if (!model) throw new ApiError(404, 'invalid_request_error', `The model '${body.model}' does not exist.`, 'model_not_found', 'model');
    const refused = route.accepts(model, body);
    if (refused) throw refused;
    request.timing?.mark('validate');

    const idempotencyKey = request.headers['idempotency-key'];
    let idem: { key: string; fingerprint: string } | null = null;
    if (typeof idempotencyKey === 'string' && idempotencyKey.length > 0) {
      if (idempotencyKey.length > 255) throw new ApiError(400, 'invalid_request_error', 'Idempotency-Key: at most 255 characters.', 'invalid_request', null);
      idem = { key: IdempotencyStore.keyOf(principal.tenantId, route.path, idempotencyKey), fingerprint: IdempotencyStore.fingerprintOf(body) };
      const stored = await idempotency.begin(idem.key, idem.fingerprint).catch((error: unknown) => {
        if (error instanceof ApiError) throw error;
        throw new ApiError(503, 'service_unavailable', 'Idempotency-Key cannot be honoured right now; retry shortly.', 'service_unavailable', null, { 'retry-after': '1' });
      });
      if (stored) {
        // The first answer again, not run and not counted again.
        if (stored.workerId) void reply.header('x-llmaas-worker', stored.workerId);
        return reply.code(stored.status).header('content-type', stored.contentType).header('idempotent-replayed', 'true').send(stored.body);
      }
    }
    // The budget is refused here, from memory. Requests, tokens and concurrency (Redis) are checked
    // beside assignment and prefill, like the guard: a refusal cancels the work before any byte
    // leaves, and the Redis round trip stays off the time to first token.
    const quota = quotas.quota(principal.tenantId);
    const spent = budgetRefusal(quota);
    if (spent) {
      metrics.rejected(principal.tenantId, 'budget');
      if (idem) await idempotency.abandon(idem.key).catch(() => undefined);
      throw spent;
    }
    // The user texts, extracted once: the token estimate and the guard both read them.
    const prompts = route.guarded ? promptTexts(body) : [];
    const admitting: Promise<Admitted | ApiError> = admissionFor(limiter, quota, principal.tenantId, body, prompts, String(request.id), request.log, metrics).catch((error: unknown) =>
      error instanceof ApiError ? error : new ApiError(500, 'server_error', 'The server had an error while processing your request.', 'internal_error'),
    );
    let settled = false;
    const settleLimits = (usedTokens: number) => {
      if (settled) return;
      settled = true;
      void admitting.then((admitted) => {
        if (admitted instanceof ApiError || !admitted.admission) return;
        return limiter.settle(admitted.admission, usedTokens).catch((error: unknown) => request.log.warn({ err: error }, 'could not settle rate limits'));
      });
    };
    /** The limits' refusal, if any, once Redis answered; otherwise their headers go on the answer. */
    const refusedByLimits = async (): Promise<ApiError | null> => {
      const admitted = await admitting;
      if (admitted instanceof ApiError) return admitted;
      void reply.headers(admitted.headers);
      return null;
    };
    const abandon = () => {
      settleLimits(0);
      return idem ? idempotency.abandon(idem.key).catch(() => undefined) : undefined;
    };
    const keep = (status: number, contentType: string, text: string, workerId: string) =>
      idem ? idempotency.complete(idem.key, idem.fingerprint, { status, contentType, body: text, workerId }).catch(() => undefined) : undefined;

    // The guard runs beside assignment and prefill; its verdict is awaited before the first byte
    // leaves, and a block cancels the work.
    const requestId = String(request.id);
    const texts = request.tenant?.guard.enabled ? prompts : [];
    const guarding = texts.length > 0 ? guard.check({ requestId, tenantId: principal.tenantId, keyId: principal.keyId, threshold: request.tenant?.guard.threshold ?? 0.5, texts }) : null;

    let lease: Lease;
    try {
      lease = await scheduler.acquire(model.id, 'interactive', principal.tenantId, config.CAPACITY_WAIT_MS);
    } catch (error) {
      void abandon();
      if (!(error instanceof NoCapacityError)) throw error;
      const why = error.reason ? `No worker can serve '${model.id}' now: ${error.reason}.` : `No capacity for '${model.id}' right now; retry shortly.`;
      throw new ApiError(503, 'service_unavailable', why, 'no_capacity', null, { 'retry-after': '1', 'retry-after-ms': '1000' });
    }

    request.timing?.mark('assign');
    const abort = new AbortController();
    void guarding?.then((outcome) => {
      if (guardRefusal(outcome, config.GUARD_FAIL_OPEN)) abort.abort();
    });
    void admitting.then((admitted) => {
      if (admitted instanceof ApiError) abort.abort();
    });
    /** The guard's refusal, if any, once it answered: the work is cancelled and nothing is billed. */
    const refusedByGuard = async (): Promise<ApiError | null> => {
      if (!guarding) return null;
      const outcome = await guarding;
      request.timing?.mark('guard');
      if ('error' in outcome) request.log.warn({ err: outcome.error }, config.GUARD_FAIL_OPEN ? 'prompt guard unavailable: failing open' : 'prompt guard unavailable: failing closed');
      return guardRefusal(outcome, config.GUARD_FAIL_OPEN);
    };
    const onClose = () => {
      if (!reply.raw.writableFinished) abort.abort();
    };
    reply.raw.once('close', onClose);
    let counted: Counted = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, documents: 0, audioSeconds: 0 };
    let status: InferenceUsage['status'] = 'failed';
    let firstChunkMs: number | null = null;
    let streamed = false;
    const finish = () => {
      lease.release();
      settleLimits(counted.inputTokens + counted.outputTokens);
      reply.raw.off('close', onClose);
      if (abort.signal.aborted && status === 'failed' && !streamed) status = 'cancelled';
      request.usageTokens = counted.inputTokens + counted.outputTokens;
      metrics.used(model.id, principal.tenantId, counted.inputTokens, counted.outputTokens);
      if (firstChunkMs !== null) metrics.firstTokenAfter(model.id, (receivedMs + firstChunkMs) / 1000);
      // Counted now if the caller left (no onResponse follows); the answer's own hook otherwise.
      left(request, reply, route.path);
      usage.add({
        requestId,
        tenantId: principal.tenantId,
        keyId: principal.keyId,
        model: model.id,
        kind: model.kind,
        mode: 'interactive',
        status,
        ...counted,
        workerId: lease.workerId,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        timeToFirstTokenMs: firstChunkMs,
      });
    };

    const workerBody = route.toWorker ? route.toWorker(body) : body;
    let upstream;
    try {
      upstream = await workers.post(lease.endpoint, route.workerPath, JSON.stringify(workerBody), requestId, abort.signal);
    } catch (error) {
      const refusal = abort.signal.aborted ? ((await refusedByLimits()) ?? (await refusedByGuard())) : null;
      if (refusal) status = 'cancelled';
      finish();
      void abandon();
      if (refusal) throw refusal;
      if (abort.signal.aborted) return reply;
      request.log.warn({ err: error, worker: lease.workerId }, 'worker unreachable');
      throw new ApiError(503, 'service_unavailable', 'The worker assigned to this request is unreachable; retry shortly.', 'worker_unavailable', null, { 'retry-after': '1', 'x-should-retry': 'true' });
    }
    request.timing?.mark('worker');
    // A worker's refusal (context too long, bad value) goes back as it is: no answer leaves to guard.
    const guardSaid = upstream.statusCode === 200 ? ((await refusedByLimits()) ?? (await refusedByGuard())) : null;
    if (guardSaid) {
      abort.abort();
      upstream.body.destroy();
      status = 'cancelled';
      finish();
      void abandon();
      throw guardSaid;
    }
    void reply.header('x-llmaas-worker', lease.workerId);
    if (request.timing) void reply.header('server-timing', request.timing.header());

    if (upstream.statusCode !== 200 || body.stream !== true) {
      let text: string;
      let textReply = false;
      try {
        text = await upstream.body.text();
      } catch {
        finish();
        void abandon();
        throw new ApiError(502, 'server_error', 'The worker failed while answering.', 'worker_failed');
      }
      if (upstream.statusCode === 200) {
        try {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          counted = route.count(parsed, body);
          status = 'completed';
          firstChunkMs = performance.now() - started;
          if (route.toClient) {
            const shaped = route.toClient(parsed, body);
            textReply = typeof shaped === 'string';
            text = typeof shaped === 'string' ? shaped : JSON.stringify(shaped);
          }
        } catch {
          finish();
          void abandon();
          throw new ApiError(502, 'server_error', 'The worker answered with something that is not JSON.', 'worker_failed');
        }
      }
      if (upstream.statusCode !== 200) request.errorType = workerErrorType(text, upstream.statusCode);
      finish();
      const contentType = upstream.statusCode === 200 && textReply ? 'text/plain; charset=utf-8' : 'application/json';
      if (upstream.statusCode >= 500) void abandon();
      else void keep(upstream.statusCode, contentType, text, lease.workerId);
      // A worker's own 4xx (context too long, bad parameter) is the client's error, passed on as is.
      const code = upstream.statusCode >= 500 ? 502 : upstream.statusCode;
      return reply.code(code).type(contentType).send(text);
    }

    streamed = true;
    const out = new PassThrough();
    void reply.code(200).headers({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    void reply.send(out);
    const wantsUsage = (body.stream_options as { include_usage?: boolean } | null | undefined)?.include_usage === true;
    let recorded: string[] | null = idem ? [] : null;
    let recordedBytes = 0;
    const record = (text: string) => {
      if (!recorded) return;
      recordedBytes += text.length;
      if (recordedBytes > MAX_STORED_BYTES) recorded = null;
      else recorded.push(text);
    };
    void relaySse(upstream.body, out, wantsUsage, started, idem ? record : undefined).then(async (outcome) => {
      // Decided before the end of the response: a client leaving after [DONE] cancels nothing.
      status = outcome.completed ? 'completed' : abort.signal.aborted ? 'cancelled' : 'failed';
      // The stream ended with an OpenAI error event: an error, though its status was 200.
      if (status === 'failed') request.errorType = 'server_error';
      out.end();
      counted = outcome.usage
        ? usageOf(outcome.usage)
        : { ...counted, inputTokens: await estimatePromptTokens(body).catch(() => 0), outputTokens: outcome.contentChunks };
      firstChunkMs = outcome.firstChunkMs;
      finish();
      if (outcome.completed && recorded) void keep(200, 'text/event-stream; charset=utf-8', recorded.join(''), lease.workerId);
      else void abandon();
    });
    return reply;
  }

  return workers;
}
