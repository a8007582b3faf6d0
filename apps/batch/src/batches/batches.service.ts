import { Inject, Injectable, Logger } from '@nestjs/common';
import { auditEventOf, topics, type BatchCreate, type Principal } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { EventPublisher, RpcFailure } from '@llmaas/kafka';

import { Clock } from '../execution/clock.js';
import { BatchQueues } from '../execution/batch-queues.js';
import { type Batch, type PrismaClient } from '../generated/prisma/client.js';
import { newId } from '../ids.js';
import { batchView } from './batch-view.js';

const WINDOW_MS = 24 * 3600 * 1000;

/** The Batch API's operations (create, retrieve, list, cancel), each scoped to the caller's tenant. */
@Injectable()
export class BatchesService {
  private readonly logger = new Logger('batches');

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    private readonly queues: BatchQueues,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async create(caller: Principal, request: BatchCreate) {
    const input = await this.prisma.file.findFirst({ where: { id: request.input_file_id, tenantId: caller.tenantId, deletedAt: null } });
    if (!input) throw new RpcFailure('not_found', `No such file: '${request.input_file_id}'.`, 'input_file_id');
    if (input.purpose !== 'batch') throw new RpcFailure('invalid_request', `The file ${input.id} was uploaded with purpose '${input.purpose}'; a batch input needs purpose 'batch'.`, 'input_file_id');
    const now = this.clock.now();
    const row = await this.prisma.batch.create({
      data: {
        id: newId('batch_'),
        tenantId: caller.tenantId,
        keyId: caller.keyId,
        keyModels: caller.models,
        endpoint: request.endpoint,
        completionWindow: request.completion_window,
        inputFileId: input.id,
        metadata: request.metadata ?? undefined,
        webhookUrl: request.webhook_url ?? null,
        outputExpiresAfterSeconds: request.output_expires_after?.seconds ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + WINDOW_MS),
      },
    });
    this.audit(caller, 'batch.create', row);
    // Validation runs on the queue; should this add fail, the sweeper adds it.
    await this.queues.add('validate', `${row.id}-validate`, { batchId: row.id }).catch((error: unknown) => this.logger.warn({ msg: 'validation not queued yet', batchId: row.id, err: String(error) }));
    return batchView(row);
  }

  async get(caller: Principal, batchId: string) {
    return batchView(await this.owned(caller, batchId));
  }

  /** Newest first; `after` is exclusive (the SDKs' cursor pages). */
  async list(caller: Principal, query: { after?: string; limit: number }) {
    let cursor: { createdAt: Date; id: string } | null = null;
    if (query.after) {
      cursor = await this.prisma.batch.findFirst({ where: { id: query.after, tenantId: caller.tenantId }, select: { createdAt: true, id: true } });
      if (!cursor) throw new RpcFailure('invalid_request', `'after' names no batch of yours: '${query.after}'.`, 'after');
    }
    const rows = await this.prisma.batch.findMany({
      where: { tenantId: caller.tenantId, ...(cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const data = rows.slice(0, query.limit).map(batchView);
    return { object: 'list' as const, data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: rows.length > query.limit };
  }

  /** `cancelling` at once; the lines running finish, the others go to the error file, then `cancelled`. */
  async cancel(caller: Principal, batchId: string) {
    const row = await this.owned(caller, batchId);
    if (row.status === 'cancelling' || row.status === 'cancelled') return batchView(row);
    if (row.status !== 'validating' && row.status !== 'in_progress') {
      throw new RpcFailure('conflict', `Batch ${row.id} is ${row.status} and can no longer be cancelled.`, 'batch_id');
    }
    const now = this.clock.now();
    const updated = await this.prisma.batch.updateManyAndReturn({
      where: { id: row.id, status: { in: ['validating', 'in_progress'] }, sealedAt: null },
      data: { status: 'cancelling', cancellingAt: now, endingReason: 'cancelled' },
    });
    if (updated.length === 0) return batchView(await this.owned(caller, batchId));
    this.audit(caller, 'batch.cancelling', updated[0]!);
    await this.queues.add('finalize', `${row.id}-finalize`, { batchId: row.id }).catch(() => undefined);
    return batchView(updated[0]!);
  }

  private async owned(caller: Principal, batchId: string): Promise<Batch> {
    const row = await this.prisma.batch.findFirst({ where: { id: batchId, tenantId: caller.tenantId } });
    if (!row) throw new RpcFailure('not_found', `No such batch: '${batchId}'.`, 'batch_id');
    return row;
  }

  private audit(caller: Principal, action: string, row: Batch): void {
    this.events.publish(topics.auditEvents, auditEventOf('batch', caller, action, `batch:${row.id}`, row.tenantId)).catch((error: unknown) => this.logger.warn({ msg: 'audit event not published', action, err: String(error) }));
  }
}
