import { Inject, Injectable, Logger } from '@nestjs/common';
import { topics, type InferenceUsage } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { EventPublisher } from '@llmaas/kafka';

import { type PrismaClient } from '../generated/prisma/client.js';
import { DataKeys } from '../storage/data-keys.service.js';
import { decryptBlob, encryptBlob } from '../storage/key-wrap.js';
import { type LineOutcome } from './line-runner.js';

export interface LineResult extends LineOutcome {
  line: number;
  customId: string;
}

const aadOf = (batchId: string, line: number) => `batch-result:${batchId}:${line}`;

/**
 * Line results, written once. A write and the batch's sealing (finalization) serialise on the
 * batch row: after the seal, a result is refused (the line is reported as not run), so what the
 * output and error files hold is exactly what was counted. Usage is an outbox: published after the
 * row is committed and marked once Kafka acknowledged it; the sweeper publishes what a crash left.
 */
@Injectable()
export class ResultStore {
  private readonly logger = new Logger('results');

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly keys: DataKeys,
    private readonly events: EventPublisher,
  ) {}

  /** Stores what is not stored yet; returns false when the batch was sealed (nothing written). */
  async write(batchId: string, tenantId: string, results: readonly LineResult[]): Promise<boolean> {
    if (results.length === 0) return true;
    const key = await this.keys.keyFor(tenantId);
    const payloads = results.map((r) => encryptBlob(key, aadOf(batchId, r.line), Buffer.from(r.text)));
    const inserted = await this.prisma.$transaction(async (tx) => {
      const open = await tx.$queryRaw<{ id: string }[]>`UPDATE batch.batches SET id = id WHERE id = ${batchId} AND sealed_at IS NULL RETURNING id`;
      if (open.length === 0) return null;
      const rows = await tx.$queryRaw<{ line: number; outcome: string; input_tokens: number; output_tokens: number; reasoning: number; usage: InferenceUsage | null }[]>`
        INSERT INTO batch.batch_results (batch_id, line, custom_id, outcome, payload, input_tokens, output_tokens, usage, usage_published)
        SELECT ${batchId}, x.line, x.custom_id, x.outcome, x.payload, x.input_tokens, x.output_tokens, x.usage, x.usage IS NULL
        FROM unnest(${results.map((r) => r.line)}::int[], ${results.map((r) => r.customId)}::text[], ${results.map((r) => r.outcome)}::text[],
                    ${payloads}::bytea[], ${results.map((r) => r.inputTokens)}::int[], ${results.map((r) => r.outputTokens)}::int[],
                    ${results.map((r) => (r.usage ? JSON.stringify(r.usage) : null))}::jsonb[])
             AS x(line, custom_id, outcome, payload, input_tokens, output_tokens, usage)
        ON CONFLICT DO NOTHING
        RETURNING line, outcome, input_tokens, output_tokens, COALESCE((usage->>'reasoningTokens')::int, 0) AS reasoning, usage`;
      const completed = rows.filter((r) => r.outcome === 'output').length;
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
      await tx.$executeRaw`UPDATE batch.batches SET completed_count = completed_count + ${completed}, failed_count = failed_count + ${rows.length - completed},
        input_tokens = input_tokens + ${sum((r) => r.input_tokens)}, output_tokens = output_tokens + ${sum((r) => r.output_tokens)},
        reasoning_tokens = reasoning_tokens + ${sum((r) => r.reasoning)} WHERE id = ${batchId}`;
      return rows;
    });
    if (inserted === null) return false;
    await this.publishUsage(batchId, inserted.filter((r) => r.usage !== null).map((r) => ({ line: r.line, usage: r.usage! })));
    return true;
  }

  /** Lines of [first, last] that have a result already (a retried chunk skips them). */
  async doneLines(batchId: string, first: number, last: number): Promise<Set<number>> {
    const rows = await this.prisma.batchResult.findMany({ where: { batchId, line: { gte: first, lte: last } }, select: { line: true } });
    return new Set(rows.map((r) => r.line));
  }

  /** Results in line order, decrypted, a page at a time (finalization reads them beside the input). */
  async *inOrder(batchId: string, tenantId: string): AsyncGenerator<{ line: number; outcome: string; text: string }> {
    const key = await this.keys.keyFor(tenantId);
    let after = 0;
    for (;;) {
      const page = await this.prisma.batchResult.findMany({ where: { batchId, line: { gt: after } }, orderBy: { line: 'asc' }, take: 1000, select: { line: true, outcome: true, payload: true } });
      for (const r of page) yield { line: r.line, outcome: r.outcome, text: decryptBlob(key, aadOf(batchId, r.line), Buffer.from(r.payload)).toString('utf8') };
      if (page.length < 1000) return;
      after = page.at(-1)!.line;
    }
  }

  /** Usage events a crash left unpublished (older than `olderThanMs`): published again (billing dedupes by request id). */
  async republish(olderThanMs: number): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ batchId: string; line: number; usage: InferenceUsage }[]>`
      SELECT batch_id AS "batchId", line, usage FROM batch.batch_results
      WHERE NOT usage_published AND created_at < ${new Date(Date.now() - olderThanMs)} ORDER BY created_at LIMIT 1000`;
    const byBatch = new Map<string, { line: number; usage: InferenceUsage }[]>();
    for (const r of rows) {
      const list = byBatch.get(r.batchId) ?? [];
      list.push({ line: r.line, usage: r.usage });
      byBatch.set(r.batchId, list);
    }
    for (const [batchId, list] of byBatch) await this.publishUsage(batchId, list);
    return rows.length;
  }

  private async publishUsage(batchId: string, rows: { line: number; usage: InferenceUsage }[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await this.events.publishMany(topics.inferenceUsage, rows.map((r) => r.usage));
      await this.prisma.batchResult.updateMany({ where: { batchId, line: { in: rows.map((r) => r.line) } }, data: { usagePublished: true } });
    } catch (error) {
      this.logger.warn({ msg: 'usage not published yet; the sweeper retries', batchId, err: error instanceof Error ? error.message : String(error) });
    }
  }
}
