import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { modelAllowed } from '@llmaas/api-keys';
import { auditEventOf, kindServes, topics, visibleTo } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { EventPublisher } from '@llmaas/kafka';
import { CatalogDirectory, SERVICE_CONFIG } from '@llmaas/service-kit';
import { DelayedError, type Job } from 'bullmq';

import { type BatchConfig } from '../batch.config.js';
import { InputValidator, isLineError, parseBatchLine, type BatchEndpoint, type ModelCheck } from '../batches/input-validation.js';
import { splitLines } from '../batches/jsonl-lines.js';
import { batchRequestId } from '../batches/output-lines.js';
import { FileStore } from '../files/file-store.service.js';
import { type Batch, type PrismaClient } from '../generated/prisma/client.js';
import { TenantTables } from '../tenants/tenant-tables.service.js';
import { BatchQueues, type BatchJob, type ChunkJob } from './batch-queues.js';
import { Clock } from './clock.js';
import { LineAbandoned, LineRunner } from './line-runner.js';
import { ResultStore, type LineResult } from './result-store.js';
import { Webhooks } from './webhooks.js';

const FLUSH_EVERY = 32;

const PAUSE_MS = 15_000;

/** A file id derived from the batch: a finalization run again after a crash rewrites the same file. */
const derivedFileId = (batchId: string, kind: 'output' | 'errors') => `file-${createHash('sha256').update(`${batchId}:${kind}`).digest('base64url').replace(/[-_]/g, '').slice(0, 24)}`;

/**
 * Runs batches: validation of the input (OpenAI's per-line errors), the chunks of lines on BullMQ,
 * and finalization into the output and error files. Each step is idempotent and keyed by the batch,
 * so the sweeper may re-add any of them after a crash.
 */
@Injectable()
export class BatchExecutor implements OnModuleInit {
  private readonly logger = new Logger('executor');
  /** Batches seen stopping or paused, re-read at most once a second per batch. */
  private readonly state = new Map<string, { at: number; stopping: boolean }>();

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SERVICE_CONFIG) private readonly config: BatchConfig,
    private readonly queues: BatchQueues,
    private readonly store: FileStore,
    private readonly results: ResultStore,
    private readonly lines: LineRunner,
    private readonly catalog: CatalogDirectory,
    private readonly tenants: TenantTables,
    private readonly events: EventPublisher,
    private readonly webhooks: Webhooks,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.queues.work<BatchJob>('validate', (job) => this.validate(job.data.batchId), { concurrency: 2 });
    this.queues.work<ChunkJob>('chunks', (job, token) => this.runChunk(job, token), { concurrency: this.config.BATCH_CHUNK_CONCURRENCY });
    this.queues.work<BatchJob>('finalize', (job) => this.finalize(job.data.batchId), { concurrency: 2 });
  }

  // ---- validation --------------------------------------------------------------------------

  async validate(batchId: string): Promise<void> {
    const batch = await this.prisma.batch.findUnique({ where: { id: batchId } });
    if (!batch || batch.status !== 'validating' || batch.endingReason) return;
    const tenant = this.tenants.tenant(batch.tenantId);
    const checkModel: ModelCheck = (model) => this.modelRefusal(model, batch, tenant?.models ?? [], tenant?.betaOptIn ?? false);
    const validator = new InputValidator({ endpoint: batch.endpoint as BatchEndpoint, maxRequests: this.config.BATCH_MAX_REQUESTS, maxEmbeddingInputs: 50_000, chunkLines: this.config.BATCH_CHUNK_LINES, checkModel });
    try {
      for await (const line of splitLines(await this.store.read(batch.tenantId, batch.inputFileId))) validator.add(line);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.fail(batch, [{ code: 'invalid_file', message: `The input file could not be read: ${message}`, param: 'input_file_id', line: null }], 0);
    }
    const result = validator.result();
    if (result.errors.length > 0) return this.fail(batch, result.errors, result.total);
    const now = this.clock.now();
    const started = await this.prisma.$transaction(async (tx) => {
      const moved = await tx.batch.updateMany({ where: { id: batch.id, status: 'validating', endingReason: null }, data: { status: 'in_progress', inProgressAt: now, totalCount: result.total, model: result.model } });
      if (moved.count === 0) return false;
      await tx.batchChunk.createMany({
        data: result.chunks.map((c) => ({ batchId: batch.id, index: c.index, firstLine: c.firstLine, lineCount: c.count, startByte: BigInt(c.start), endByte: BigInt(c.end) })),
        skipDuplicates: true,
      });
      return true;
    });
    if (!started) return;
    this.audit(batch, 'batch.in_progress');
    await this.queues.addBulk('chunks', result.chunks.map((c) => ({ jobId: `${batch.id}-${c.index}`, data: { batchId: batch.id, index: c.index } })));
  }

  private modelRefusal(modelId: string, batch: Batch, tenantModels: string[], betaOptIn: boolean): { code: string; message: string } | null {
    const model = this.catalog.get(modelId);
    if (!model || !visibleTo(model, { tenantId: batch.tenantId, betaOptIn })) return { code: 'model_not_found', message: `The model '${modelId}' does not exist.` };
    if (!modelAllowed(batch.keyModels, modelId) || !modelAllowed(tenantModels, modelId)) return { code: 'model_not_allowed', message: `This API key is not allowed to use the model '${modelId}'.` };
    if (!kindServes(model.kind, batch.endpoint)) return { code: 'wrong_endpoint', message: `The model '${modelId}' is a ${model.kind} model; it does not serve ${batch.endpoint}.` };
    return null;
  }

  private async fail(batch: Batch, errors: { code: string; message: string; param: string | null; line: number | null }[], total: number): Promise<void> {
    const moved = await this.prisma.batch.updateManyAndReturn({ where: { id: batch.id, status: 'validating' }, data: { status: 'failed', failedAt: this.clock.now(), errors, totalCount: total, sealedAt: this.clock.now() } });
    if (moved[0]) await this.ended(moved[0], 'batch.failed');
  }

  // ---- lines -------------------------------------------------------------------------------

  async runChunk(job: Job<ChunkJob>, token: string | undefined): Promise<void> {
    const { batchId, index } = job.data;
    const batch = await this.prisma.batch.findUnique({ where: { id: batchId } });
    if (!batch || batch.status !== 'in_progress' || batch.endingReason || batch.sealedAt) return;
    const chunk = await this.prisma.batchChunk.findUnique({ where: { batchId_index: { batchId, index } } });
    if (!chunk || chunk.done) return;
    if (this.tenants.paused(batch.tenantId)) return this.pause(job, token);
    const model = this.catalog.get(batch.model ?? '');
    if (!model) throw new Error(`model ${batch.model} left the catalog; retrying later`);
    const last = chunk.firstLine + chunk.lineCount - 1;
    const done = await this.results.doneLines(batchId, chunk.firstLine, last);
    const body = await this.store.readRange(batch.tenantId, batch.inputFileId, Number(chunk.startByte), Number(chunk.endByte));
    const todo: { line: number; text: string }[] = [];
    for await (const l of splitLines(Readable.from([body]))) {
      const line = chunk.firstLine + l.line - 1;
      if (l.text.trim() !== '' && !done.has(line)) todo.push({ line, text: l.text });
    }
    const pending: LineResult[] = [];
    let sealed = false;
    let paused = false;
    const flush = async () => {
      const batchOf = pending.splice(0, pending.length);
      if (!(await this.results.write(batchId, batch.tenantId, batchOf))) sealed = true;
    };
    const stopping = () => sealed || paused || this.stopping(batchId);
    const tenant = this.tenants.tenant(batch.tenantId);
    let next = 0;
    const worker = async () => {
      while (next < todo.length && !stopping()) {
        if (this.tenants.paused(batch.tenantId)) {
          paused = true;
          return;
        }
        const item = todo[next++]!;
        const parsed = parseBatchLine(item.text, item.line, batch.endpoint as BatchEndpoint);
        if (isLineError(parsed)) throw new Error(`line ${item.line} of ${batchId} no longer parses: the input changed`);
        const requestId = batchRequestId(batchId, item.line);
        try {
          const outcome = await this.lines.run({ batchId, tenant, tenantId: batch.tenantId, keyId: batch.keyId, model, requestId, stopping }, parsed);
          pending.push({ ...outcome, line: item.line, customId: parsed.custom_id });
          if (pending.length >= FLUSH_EVERY) await flush();
        } catch (error) {
          if (error instanceof LineAbandoned) return;
          throw error;
        }
      }
    };
    const running = Array.from({ length: Math.min(this.config.BATCH_LINE_CONCURRENCY, todo.length) }, worker);
    const outcomes = await Promise.allSettled(running);
    await flush();
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (failure?.status === 'rejected') throw failure.reason;
    if (paused) return this.pause(job, token);
    if (sealed || this.stopping(batchId, true)) return;
    await this.prisma.batchChunk.update({ where: { batchId_index: { batchId, index } }, data: { done: true } });
    const open = await this.prisma.batchChunk.count({ where: { batchId, done: false } });
    if (open === 0) await this.queues.add('finalize', `${batchId}-finalize`, { batchId });
  }

  /** The tenant's budget is spent under a hard cap: the chunk waits (delayed job), nothing fails. */
  private async pause(job: Job<ChunkJob>, token: string | undefined): Promise<never> {
    this.logger.log({ msg: 'batch paused: budget exhausted with a hard cap', batchId: job.data.batchId });
    await job.moveToDelayed(Date.now() + PAUSE_MS, token);
    throw new DelayedError();
  }

  private stopping(batchId: string, fresh = false): boolean {
    const seen = this.state.get(batchId);
    if (!fresh && seen && Date.now() - seen.at < 1000) return seen.stopping;
    const entry = { at: Date.now(), stopping: seen?.stopping ?? false };
    this.state.set(batchId, entry);
    void this.prisma.batch
      .findUnique({ where: { id: batchId }, select: { endingReason: true, sealedAt: true } })
      .then((b) => {
        entry.stopping = !b || b.endingReason !== null || b.sealedAt !== null;
      })
      .catch(() => undefined);
    return entry.stopping;
  }

  // ---- finalization -------------------------------------------------------------------------

  /**
   * Seals the batch (no result is written after), then writes the output and error files from
   * the input and the results in line order: every request line lands in exactly one of them,
   * lines that never ran as `batch_expired` / `batch_cancelled`.
   */
  async finalize(batchId: string): Promise<void> {
    let batch = await this.prisma.batch.findUnique({ where: { id: batchId } });
    if (!batch || ['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return;
    const ending = batch.endingReason as 'expired' | 'cancelled' | null;
    if (!ending) {
      const stored = await this.prisma.batchResult.count({ where: { batchId } });
      if (stored < batch.totalCount) return; // the sweeper re-adds the chunks still owed
    } else if (!batch.sealedAt) {
      await this.drain(batchId);
    }
    if (!batch.sealedAt) {
      const now = this.clock.now();
      const sealed = await this.prisma.batch.updateManyAndReturn({ where: { id: batchId, sealedAt: null }, data: { sealedAt: now, ...(ending ? {} : { status: 'finalizing', finalizingAt: now }) } });
      batch = sealed[0] ?? (await this.prisma.batch.findUniqueOrThrow({ where: { id: batchId } }));
      if (!ending) this.audit(batch, 'batch.finalizing');
    }
    const written = batch.status === 'validating' ? { output: null, errors: null, completed: 0, failed: 0 } : await this.writeFiles(batch, ending);
    const now = this.clock.now();
    const status = ending ?? 'completed';
    const done = await this.prisma.$transaction(async (tx) => {
      for (const file of [written.output, written.errors]) if (file) await tx.file.upsert({ where: { id: file.id }, create: file, update: {} });
      return tx.batch.updateManyAndReturn({
        where: { id: batchId, status: { notIn: ['completed', 'failed', 'expired', 'cancelled'] } },
        data: {
          status,
          outputFileId: written.output?.id ?? null,
          errorFileId: written.errors?.id ?? null,
          completedCount: written.completed,
          failedCount: written.failed,
          ...(status === 'completed' ? { completedAt: now } : status === 'expired' ? { expiredAt: now } : { cancelledAt: now }),
        },
      });
    });
    if (done[0]) await this.ended(done[0], `batch.${status}`);
  }

  /** Waits (bounded) for the lines of a stopping batch that are still running, so they are kept. */
  private async drain(batchId: string): Promise<void> {
    const deadline = Date.now() + this.config.BATCH_DRAIN_MS;
    while (Date.now() < deadline) {
      const active = await this.queues.queue('chunks').getJobs(['active']);
      if (!active.some((j) => (j.data as ChunkJob | undefined)?.batchId === batchId)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async writeFiles(batch: Batch, ending: 'expired' | 'cancelled' | null) {
    const expiresAt = new Date(this.clock.now().getTime() + (batch.outputExpiresAfterSeconds ?? this.config.BATCH_OUTPUT_RETENTION_SECONDS) * 1000);
    const outputId = derivedFileId(batch.id, 'output');
    const errorsId = derivedFileId(batch.id, 'errors');
    const output = await this.store.writer(batch.tenantId, outputId);
    const errors = await this.store.writer(batch.tenantId, errorsId);
    let completed = 0;
    let failed = 0;
    try {
      const results = this.results.inOrder(batch.id, batch.tenantId)[Symbol.asyncIterator]();
      let next = await results.next();
      for await (const l of splitLines(await this.store.read(batch.tenantId, batch.inputFileId))) {
        if (l.text.trim() === '') continue;
        while (!next.done && next.value.line < l.line) next = await results.next();
        if (!next.done && next.value.line === l.line) {
          const target = next.value.outcome === 'output' ? output : errors;
          if (next.value.outcome === 'output') completed++;
          else failed++;
          await target.write(Buffer.from(`${next.value.text}\n`));
          continue;
        }
        const parsed = parseBatchLine(l.text, l.line, batch.endpoint as BatchEndpoint);
        const customId = isLineError(parsed) ? '' : parsed.custom_id;
        await errors.write(Buffer.from(`${LineRunner.unrun(batch.id, batchRequestId(batch.id, l.line), customId, ending ?? 'expired')}\n`));
        failed++;
      }
      const [out, err] = [await output.finish(), await errors.finish()];
      const row = (id: string, kind: string, written: { plaintextBytes: number; sha256: string }, lines: number) => ({
        id, tenantId: batch.tenantId, purpose: 'batch_output', filename: `${batch.id}_${kind}.jsonl`, bytes: BigInt(written.plaintextBytes), lineCount: lines, sha256: written.sha256,
        storagePath: this.store.pathOf(batch.tenantId, id), status: 'processed' as const, expiresAt,
      });
      if (completed === 0) await this.store.remove(batch.tenantId, outputId);
      if (failed === 0) await this.store.remove(batch.tenantId, errorsId);
      return { output: completed > 0 ? row(outputId, 'output', out, completed) : null, errors: failed > 0 ? row(errorsId, 'error', err, failed) : null, completed, failed };
    } catch (error) {
      await Promise.allSettled([output.abort(), errors.abort()]);
      throw error;
    }
  }

  private async ended(batch: Batch, action: string): Promise<void> {
    this.state.delete(batch.id);
    this.audit(batch, action);
    if (batch.webhookUrl) await this.webhooks.enqueue(batch);
  }

  private audit(batch: Batch, action: string): void {
    const event = { ...auditEventOf('batch', 'system', action, `batch:${batch.id}`, batch.tenantId), keyId: batch.keyId, ...(batch.model ? { model: batch.model } : {}) };
    this.events.publish(topics.auditEvents, event).catch((error: unknown) => this.logger.warn({ msg: 'audit event not published', action, err: String(error) }));
  }

  /** What the sweeper calls: every step each unfinished batch still owes, added again (no-ops if queued). */
  async resume(batch: Batch): Promise<void> {
    if (batch.status === 'validating' && !batch.endingReason) {
      await this.queues.add('validate', `${batch.id}-validate`, { batchId: batch.id });
      return;
    }
    if (batch.endingReason || batch.sealedAt || batch.status === 'finalizing') {
      await this.queues.add('finalize', `${batch.id}-finalize`, { batchId: batch.id });
      return;
    }
    const open = await this.prisma.batchChunk.findMany({ where: { batchId: batch.id, done: false }, select: { index: true } });
    if (open.length === 0) await this.queues.add('finalize', `${batch.id}-finalize`, { batchId: batch.id });
    else await this.queues.addBulk('chunks', open.map((c) => ({ jobId: `${batch.id}-${c.index}`, data: { batchId: batch.id, index: c.index } })));
  }

  /** Marks batches past their window as expiring; finalization keeps what finished. */
  async expireDue(): Promise<number> {
    const due = await this.prisma.batch.updateManyAndReturn({ where: { status: { in: ['validating', 'in_progress'] }, endingReason: null, expiresAt: { lte: this.clock.now() } }, data: { endingReason: 'expired' } });
    for (const b of due) await this.queues.add('finalize', `${b.id}-finalize`, { batchId: b.id });
    return due.length;
  }
}

