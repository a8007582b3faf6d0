import { metrics, type Attributes, type Counter, type Histogram } from '@opentelemetry/api';
import { type FastifyReply, type FastifyRequest } from 'fastify';

import { type ApiErrorType } from '../http/api-error.js';
import { type RateLimit } from '../limits/admission.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The OpenAI error type the answer carried, where the code that answered knew it. */
    errorType?: ApiErrorType;
    /** Set once the request is in the metrics: an answer is counted once, however it ended. */
    metricsRecorded?: boolean;
  }
}

/**
 * Seconds, from a cached refusal (milliseconds) to a long reasoning answer (minutes): Prometheus
 * computes quantiles within a bucket, so the boundaries follow where the SLOs and alerts are read.
 */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 90, 120];

/** Label for a request without a served model in its body (unknown model, malformed body). */
export const NO_MODEL = 'unknown';
/** Label for a request without an authenticated tenant (refused at the key). */
export const NO_TENANT = 'none';
/** nginx's "client closed request": the caller left before the answer's last byte. */
export const CLIENT_CLOSED = 499;

/**
 * The OpenAI error type of an answer whose code did not say (Fastify's own refusals, the
 * authentication hooks'). On the inference routes a 404 or 410 is about the model, which OpenAI
 * types `invalid_request_error`.
 */
export function errorTypeOf(status: number): ApiErrorType | null {
  if (status < 400 || status === CLIENT_CLOSED) return null;
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 429:
      return 'rate_limit_error';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'server_error' : 'invalid_request_error';
  }
}

const apiErrorTypes: ReadonlySet<string> = new Set<ApiErrorType>([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'insufficient_quota',
  'server_error',
  'service_unavailable',
]);

/**
 * The error type of a worker's refusal, passed on to the client as it is (a 4xx: context too
 * long, bad parameter; a 5xx leaves as a 502). Only known types become a label value.
 */
export function workerErrorType(body: string, workerStatus: number): ApiErrorType | undefined {
  if (workerStatus >= 500) return 'server_error';
  try {
    const type = (JSON.parse(body) as { error?: { type?: unknown } } | null)?.error?.type;
    if (typeof type === 'string' && apiErrorTypes.has(type)) return type as ApiErrorType;
  } catch {
    // not JSON: typed by its status below
  }
  return errorTypeOf(workerStatus) ?? undefined;
}

/**
 * Attribute objects, one per label combination, built the first time it is seen and reused after:
 * the SDK keeps the object it is handed, so the hot path allocates nothing per request for labels.
 */
class LabelTree {
  private readonly children = new Map<string | number, LabelTree>();
  attributes: Attributes | undefined;

  at(value: string | number): LabelTree {
    let child = this.children.get(value);
    if (!child) {
      child = new LabelTree();
      this.children.set(value, child);
    }
    return child;
  }
}

/**
 * The gateway's inference metrics (docs/monitoring.md is the contract: names, types, labels).
 * Counter names end in `_total` already, so the Prometheus exporter adds no suffix; units go to
 * `# UNIT` only, never into the name. Built after telemetry starts: the API's global meter is a
 * no-op before that.
 */
export class InferenceMetrics {
  private readonly requests: Counter;
  private readonly duration: Histogram;
  private readonly firstToken: Histogram;
  private readonly tokens: Counter;
  private readonly errors: Counter;
  private readonly rejections: Counter;
  private readonly requestLabels = new LabelTree();
  private readonly durationLabels = new LabelTree();
  private readonly modelLabels = new LabelTree();
  private readonly tokenLabels = new LabelTree();
  private readonly errorLabels = new LabelTree();
  private readonly rejectionLabels = new LabelTree();

  constructor(meter = metrics.getMeter('llmaas.gateway')) {
    this.requests = meter.createCounter('llmaas_requests_total', { description: 'Inference requests answered, by endpoint, model, tenant and HTTP status' });
    this.duration = meter.createHistogram('llmaas_request_duration_seconds', {
      description: 'Inference request received to last byte',
      unit: 's',
      advice: { explicitBucketBoundaries: LATENCY_BUCKETS_SECONDS },
    });
    this.firstToken = meter.createHistogram('llmaas_time_to_first_token_seconds', {
      description: 'Inference request received to first token (streams) or to the answer',
      unit: 's',
      advice: { explicitBucketBoundaries: LATENCY_BUCKETS_SECONDS },
    });
    this.tokens = meter.createCounter('llmaas_tokens_total', { description: 'Tokens of interactive inference, by model, tenant and kind (input/output)' });
    this.errors = meter.createCounter('llmaas_request_errors_total', { description: 'Inference requests answered with an error, by endpoint, model and OpenAI error type' });
    this.rejections = meter.createCounter('llmaas_rate_limit_rejections_total', { description: 'Requests refused by a tenant limit (requests, tokens, concurrency per minute) or a spent budget' });
  }

  /**
   * One answered request (or one its caller left): its count, its duration and, when it failed,
   * its error. Only the first call per request counts. `model` must be a catalog id or NO_MODEL:
   * a client's string never becomes a label.
   */
  answered(request: FastifyRequest, reply: FastifyReply, endpoint: string, model: string, status: number): void {
    if (request.metricsRecorded) return;
    request.metricsRecorded = true;
    const tenant = request.principal?.tenantId ?? NO_TENANT;
    const counted = this.requestLabels.at(endpoint).at(model).at(tenant).at(status);
    counted.attributes ??= { endpoint, model, tenant, status: String(status) };
    this.requests.add(1, counted.attributes);
    const timed = this.durationLabels.at(endpoint).at(model);
    timed.attributes ??= { endpoint, model };
    this.duration.record(reply.elapsedTime / 1000, timed.attributes);
    // A caller who left got no answer, error or not: counted, and its duration, but no error.
    const type = status === CLIENT_CLOSED ? null : (request.errorType ?? errorTypeOf(status));
    if (type) {
      const failed = this.errorLabels.at(endpoint).at(model).at(type);
      failed.attributes ??= { endpoint, model, type };
      this.errors.add(1, failed.attributes);
    }
  }

  /** Request received to the first token or the answer, for a request that produced one. */
  firstTokenAfter(model: string, seconds: number): void {
    const node = this.modelLabels.at(model);
    node.attributes ??= { model };
    this.firstToken.record(seconds, node.attributes);
  }

  /** Tokens of an interactive request, once it ended. */
  used(model: string, tenant: string, inputTokens: number, outputTokens: number): void {
    if (inputTokens > 0) {
      const node = this.tokenLabels.at(model).at(tenant).at('input');
      node.attributes ??= { model, tenant, kind: 'input' };
      this.tokens.add(inputTokens, node.attributes);
    }
    if (outputTokens > 0) {
      const node = this.tokenLabels.at(model).at(tenant).at('output');
      node.attributes ??= { model, tenant, kind: 'output' };
      this.tokens.add(outputTokens, node.attributes);
    }
  }

  /** A request refused by one of the tenant's limits or its spent budget. */
  rejected(tenant: string, limit: RateLimit): void {
    const node = this.rejectionLabels.at(tenant).at(limit);
    node.attributes ??= { tenant, limit };
    this.rejections.add(1, node.attributes);
  }
}
