import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { promptTexts, rpc, type CatalogModel, type InferenceUsage, type TenantRecord } from '@llmaas/contracts';
import { CreditLink, NoCapacityError, WorkerClient, type Lease } from '@llmaas/credits';
import { EventPublisher, KafkaHealth, RpcClient, type KafkaConnection } from '@llmaas/kafka';
import { KAFKA_CONNECTION, SERVICE_CONFIG, SERVICE_INFO, type ServiceInfo } from '@llmaas/service-kit';

import { type BatchConfig } from '../batch.config.js';
import { type BatchLine } from '../batches/input-validation.js';
import { failureLine, httpErrorLine, successLine } from '../batches/output-lines.js';

/** What one line came to: the file it goes to, its line there, and what it consumed. */
export interface LineOutcome {
  outcome: 'output' | 'error';
  text: string;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  usage: InferenceUsage | null;
}

export interface LineContext {
  batchId: string;
  tenant: TenantRecord | undefined;
  tenantId: string;
  keyId: string;
  model: CatalogModel;
  requestId: string;
  /** Asked between attempts: a cancelled or expired batch stops waiting for capacity. */
  stopping: () => boolean;
}

/** The line was not run (the batch is stopping); it goes to the error file at finalization. */
export class LineAbandoned extends Error {}

const CAPACITY_WAIT_MS = 30_000;
const GUARDED = new Set(['/v1/chat/completions', '/v1/completions']);

/**
 * Runs one batch line the way the gateway runs a request, at the batch priority class: the
 * prompt guard (Kafka `guard.check`, the same judge as HTTP), a slot from this service's credits
 * (interactive traffic goes first at the scheduler), the worker's HTTP endpoint. Transient
 * failures (no capacity, worker gone, 5xx, guard silent) are retried with backoff; a refusal is
 * the line's answer and goes to the error file as OpenAI writes it.
 */
@Injectable()
export class LineRunner implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('lines');
  private readonly credits: CreditLink;
  private readonly workers = new WorkerClient();

  constructor(
    @Inject(KAFKA_CONNECTION) connection: KafkaConnection,
    @Inject(SERVICE_INFO) info: ServiceInfo,
    @Inject(SERVICE_CONFIG) private readonly config: BatchConfig,
    events: EventPublisher,
    private readonly health: KafkaHealth,
    private readonly rpcClient: RpcClient,
  ) {
    this.credits = new CreditLink({ connection, holderId: info.instance, holderClass: 'batch', publisher: events, demandIntervalMs: config.DEMAND_INTERVAL_MS, logger: this.logger });
  }

  onModuleInit(): void {
    this.health.track('scheduler.grants', this.credits.consumer);
    void this.credits.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.credits.stop();
    await this.workers.close();
  }

  async run(ctx: LineContext, line: BatchLine): Promise<LineOutcome> {
    const refusal = await this.guard(ctx, line);
    if (refusal) return refusal;
    for (let attempt = 1; ; attempt++) {
      if (ctx.stopping()) throw new LineAbandoned();
      const result = await this.attempt(ctx, line);
      if (result.outcome) return result.outcome;
      if (attempt >= this.config.BATCH_LINE_ATTEMPTS) {
        return this.failed(ctx, line, result.status, result.code, result.message);
      }
      await sleep(Math.min(30_000, 500 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }

  private async guard(ctx: LineContext, line: BatchLine): Promise<LineOutcome | null> {
    if (!ctx.tenant?.guard.enabled || !GUARDED.has(line.url)) return null;
    const texts = promptTexts(line.body);
    if (texts.length === 0) return null;
    for (let attempt = 1; ; attempt++) {
      try {
        const verdict = await this.rpcClient.call(rpc.guardCheck, { requestId: ctx.requestId, tenantId: ctx.tenantId, keyId: ctx.keyId, threshold: ctx.tenant.guard.threshold, texts });
        if (verdict.decision === 'allow') return null;
        const reason = verdict.reasons[0] ?? 'it looks like a prompt-injection attempt.';
        return this.failed(ctx, line, 400, 'prompt_blocked', `The prompt was blocked by the prompt guard: ${reason}`, 'messages');
      } catch (error) {
        if (ctx.stopping()) throw new LineAbandoned();
        if (attempt >= this.config.BATCH_LINE_ATTEMPTS) return this.failed(ctx, line, 503, 'guard_unavailable', 'The prompt guard did not answer; the line was not run.');
        this.logger.warn({ msg: 'guard.check failed; retrying', batchId: ctx.batchId, err: error instanceof Error ? error.message : String(error) });
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  /** One try: an outcome, or why it should be tried again. */
  private async attempt(ctx: LineContext, line: BatchLine): Promise<{ outcome: LineOutcome; status?: never; code?: never; message?: never } | { outcome: null; status: number; code: string; message: string }> {
    let lease: Lease | null = null;
    while (!lease) {
      try {
        lease = await this.credits.acquire(ctx.model.id, 'batch', ctx.tenantId, CAPACITY_WAIT_MS);
      } catch (error) {
        if (!(error instanceof NoCapacityError)) throw error;
        if (error.reason) return { outcome: null, status: 503, code: 'no_capacity', message: `No worker can serve '${ctx.model.id}': ${error.reason}.` };
        // No slot within the wait: the fleet is busy (interactive first), not failing. Wait again,
        // unless the batch is being cancelled or expired meanwhile.
        if (ctx.stopping()) throw new LineAbandoned();
      }
    }
    const startedAt = new Date();
    try {
      const body = workerBody(line);
      const response = await this.workers.post(lease.endpoint, line.url === '/v1/rerank' ? '/v1/rerank' : line.url, JSON.stringify(body), ctx.requestId, AbortSignal.timeout(600_000));
      const text = await response.body.text();
      if (response.statusCode >= 500) return { outcome: null, status: 502, code: 'worker_failed', message: `The worker answered ${response.statusCode}.` };
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return { outcome: null, status: 502, code: 'worker_failed', message: 'The worker answered with something that is not JSON.' };
      }
      if (response.statusCode !== 200) {
        return { outcome: { outcome: 'error', text: httpErrorLine(ctx.requestId, line.custom_id, ctx.requestId, response.statusCode, parsed), inputTokens: 0, outputTokens: 0, reasoningTokens: 0, usage: null } };
      }
      const counted = countUsage(parsed, line);
      const usage: InferenceUsage = {
        requestId: ctx.requestId,
        tenantId: ctx.tenantId,
        keyId: ctx.keyId,
        model: ctx.model.id,
        kind: ctx.model.kind,
        mode: 'batch',
        status: 'completed',
        ...counted,
        audioSeconds: 0,
        workerId: lease.workerId,
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        timeToFirstTokenMs: null,
      };
      return { outcome: { outcome: 'output', text: successLine(ctx.requestId, line.custom_id, ctx.requestId, 200, parsed), inputTokens: counted.inputTokens, outputTokens: counted.outputTokens, reasoningTokens: counted.reasoningTokens, usage } };
    } catch (error) {
      return { outcome: null, status: 503, code: 'worker_unavailable', message: `The worker could not be reached: ${error instanceof Error ? error.message : String(error)}.` };
    } finally {
      lease.release();
    }
  }

  private failed(ctx: LineContext, line: BatchLine, status: number, code: string, message: string, param: string | null = null): LineOutcome {
    const type = status >= 500 ? 'server_error' : 'invalid_request_error';
    return { outcome: 'error', text: httpErrorLine(ctx.requestId, line.custom_id, ctx.requestId, status, { error: { message, type, param, code } }), inputTokens: 0, outputTokens: 0, reasoningTokens: 0, usage: null };
  }

  /** A line's answer when it never ran: the batch expired or was cancelled first. */
  static unrun(batchId: string, requestId: string, customId: string, reason: 'expired' | 'cancelled'): string {
    return reason === 'expired'
      ? failureLine(requestId, customId, 'batch_expired', 'This request could not be executed before the completion window expired.')
      : failureLine(requestId, customId, 'batch_cancelled', `The batch ${batchId} was cancelled before this request ran.`);
  }
}

/** What the worker gets: never a stream (a batch line is answered whole); rerank's `texts` as documents. */
function workerBody(line: BatchLine): Record<string, unknown> {
  const { stream: _stream, stream_options: _options, ...body } = line.body as Record<string, unknown>;
  if (line.url === '/v1/rerank' && body.documents === undefined && body.texts !== undefined) return { ...body, documents: body.texts };
  return body;
}

function countUsage(response: Record<string, unknown>, line: BatchLine) {
  const usage = response.usage as { prompt_tokens?: number; completion_tokens?: number; completion_tokens_details?: { reasoning_tokens?: number } } | undefined;
  const documents = line.url === '/v1/rerank' ? (((line.body.documents ?? line.body.texts) as unknown[] | undefined)?.length ?? 0) : 0;
  return {
    inputTokens: usage?.prompt_tokens ?? 0,
    outputTokens: usage?.completion_tokens ?? 0,
    reasoningTokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    documents,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
