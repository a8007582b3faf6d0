import { Inject, Injectable, Logger } from '@nestjs/common';
import { auditEventOf, topics, type Principal } from '@llmaas/contracts';
import { PRISMA } from '@llmaas/db';
import { EventPublisher } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type BatchConfig } from '../batch.config.js';
import { Clock } from '../execution/clock.js';
import { type PrismaClient } from '../generated/prisma/client.js';
import { newId } from '../ids.js';
import { FileIntegrityError } from '../storage/file-cipher.js';
import { FileStore } from './file-store.service.js';
import { fileView, uploadPurposes } from './file-view.js';
import { HttpFailure, notFound } from './http-failure.js';

export interface UploadFields {
  purpose?: string;
  expiresAfterAnchor?: string;
  expiresAfterSeconds?: string;
}

export interface UploadPart {
  filename: string;
  /** The body as it arrives; a stream error (too large) is thrown from the iteration. */
  chunks: AsyncIterable<Buffer>;
}

const ACTIVE = ['validating', 'in_progress', 'finalizing', 'cancelling'] as const;

/** The Files API: bodies encrypted on disk, metadata in Postgres, every row scoped to its tenant. */
@Injectable()
export class FilesService {
  private readonly logger = new Logger('files');

  constructor(
    @Inject(PRISMA) private readonly prisma: PrismaClient,
    @Inject(SERVICE_CONFIG) private readonly config: BatchConfig,
    private readonly store: FileStore,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
  ) {}

  /**
   * Streams the upload to an encrypted partial file while counting bytes and lines; the file
   * exists (renamed, row written) only once every check passed. Fields may come before or after
   * the file part (the SDKs differ), so purpose-specific limits are checked at the end.
   */
  async upload(caller: Principal, part: UploadPart, readFields: () => Promise<UploadFields>) {
    const fileId = newId('file-');
    const writer = await this.store.writer(caller.tenantId, fileId);
    let bytes = 0;
    let newlines = 0;
    let lastByte = 0x0a;
    try {
      for await (const chunk of part.chunks) {
        bytes += chunk.length;
        if (bytes > this.config.BATCH_MAX_FILE_BYTES) throw tooLarge(this.config.BATCH_MAX_FILE_BYTES);
        for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) newlines += 1;
        if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
        await writer.write(chunk);
      }
      const fields = await readFields();
      const purpose = checkPurpose(fields.purpose);
      const lines = newlines + (lastByte === 0x0a ? 0 : 1);
      if (purpose === 'batch') {
        if (!part.filename.toLowerCase().endsWith('.jsonl')) throw new HttpFailure(400, `A batch input file must be JSONL with a .jsonl name; got '${part.filename}'.`, 'invalid_file_format', 'file');
        if (bytes > this.config.BATCH_MAX_INPUT_BYTES) throw tooLarge(this.config.BATCH_MAX_INPUT_BYTES, 'a batch input file');
        if (lines > this.config.BATCH_MAX_REQUESTS) {
          throw new HttpFailure(413, `A batch input file holds at most ${this.config.BATCH_MAX_REQUESTS} requests; this one has ${lines} lines.`, 'too_many_requests_in_file', 'file');
        }
      }
      const now = this.clock.now();
      const expiresAt = expiryOf(fields, purpose, now, this.config.BATCH_OUTPUT_RETENTION_SECONDS);
      const { sha256 } = await writer.finish();
      try {
        const row = await this.prisma.file.create({
          data: { id: fileId, tenantId: caller.tenantId, purpose, filename: part.filename, bytes: BigInt(bytes), lineCount: lines, sha256, storagePath: this.store.pathOf(caller.tenantId, fileId), status: 'processed', createdAt: now, expiresAt },
        });
        this.audit(caller, 'file.upload', fileId);
        return fileView(row);
      } catch (error) {
        await this.store.remove(caller.tenantId, fileId);
        throw error;
      }
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  async list(caller: Principal, query: { purpose?: string; limit: number; order: 'asc' | 'desc'; after?: string }) {
    const where = { tenantId: caller.tenantId, deletedAt: null, ...(query.purpose ? { purpose: query.purpose } : {}) };
    let cursor: { createdAt: Date; id: string } | null = null;
    if (query.after) {
      cursor = await this.prisma.file.findFirst({ where: { ...where, id: query.after }, select: { createdAt: true, id: true } });
      if (!cursor) throw new HttpFailure(400, `'after' names no file of yours: '${query.after}'.`, 'invalid_cursor', 'after');
    }
    const op = query.order === 'desc' ? 'lt' : 'gt';
    const rows = await this.prisma.file.findMany({
      where: cursor ? { ...where, OR: [{ createdAt: { [op]: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { [op]: cursor.id } }] } : where,
      orderBy: [{ createdAt: query.order }, { id: query.order }],
      take: query.limit + 1,
    });
    const data = rows.slice(0, query.limit).map(fileView);
    return { object: 'list' as const, data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: rows.length > query.limit };
  }

  async get(caller: Principal, fileId: string) {
    return fileView(await this.owned(caller, fileId));
  }

  async delete(caller: Principal, fileId: string) {
    await this.owned(caller, fileId);
    const user = await this.prisma.batch.findFirst({ where: { inputFileId: fileId, status: { in: [...ACTIVE] } }, select: { id: true } });
    if (user) throw new HttpFailure(409, `The file is the input of batch ${user.id}, which is still running; cancel it first.`, 'file_in_use', 'file_id');
    await this.prisma.file.update({ where: { id: fileId }, data: { deletedAt: this.clock.now(), status: 'deleted' } });
    await this.store.remove(caller.tenantId, fileId);
    this.audit(caller, 'file.delete', fileId);
    return { id: fileId, object: 'file' as const, deleted: true };
  }

  /**
   * The plaintext, authenticated in full before the first byte leaves: a tampered body is
   * refused with a clear error rather than sent half-way.
   */
  async content(caller: Principal, fileId: string) {
    const row = await this.owned(caller, fileId);
    try {
      const check = await this.store.read(caller.tenantId, fileId);
      for await (const _chunk of check) void _chunk;
    } catch (error) {
      if (error instanceof FileIntegrityError) {
        this.logger.error({ msg: 'stored file failed authentication', fileId, tenantId: caller.tenantId, err: error.message });
        this.audit(caller, 'file.integrity_failure', fileId);
        throw new HttpFailure(500, `The stored body of ${fileId} failed authentication (tampered or corrupted); it is not served.`, 'file_integrity_error', null);
      }
      throw error;
    }
    this.audit(caller, 'file.download', fileId);
    return { row, body: await this.store.read(caller.tenantId, fileId) };
  }

  /** Deletes the bodies of files past their expiry (rows stay, marked deleted, for the batches that name them). */
  async expire(): Promise<number> {
    const due = await this.prisma.file.findMany({ where: { deletedAt: null, expiresAt: { lte: this.clock.now() } }, take: 500, select: { id: true, tenantId: true } });
    for (const file of due) {
      await this.prisma.file.update({ where: { id: file.id }, data: { deletedAt: this.clock.now(), status: 'deleted' } });
      await this.store.remove(file.tenantId, file.id);
      this.audit('system', 'file.expire', file.id, file.tenantId);
    }
    return due.length;
  }

  private async owned(caller: Principal, fileId: string) {
    const row = await this.prisma.file.findFirst({ where: { id: fileId, tenantId: caller.tenantId, deletedAt: null } });
    if (!row) throw notFound('file', fileId);
    return row;
  }

  private audit(actor: Principal | 'system', action: string, fileId: string, tenantId = actor === 'system' ? null : actor.tenantId): void {
    this.events.publish(topics.auditEvents, auditEventOf('batch', actor, action, `file:${fileId}`, tenantId)).catch((error: unknown) => {
      this.logger.warn({ msg: 'audit event not published', action, fileId, err: error instanceof Error ? error.message : String(error) });
    });
  }
}

function tooLarge(limit: number, what = 'a file'): HttpFailure {
  return new HttpFailure(413, `The upload is larger than ${Math.floor(limit / (1024 * 1024))} MB, the limit for ${what}.`, 'file_too_large', 'file');
}

function checkPurpose(purpose: string | undefined): string {
  if (!purpose) throw new HttpFailure(400, "Missing required parameter: 'purpose'.", 'missing_required_parameter', 'purpose');
  if (!(uploadPurposes as readonly string[]).includes(purpose)) throw new HttpFailure(400, `Invalid purpose '${purpose}': expected one of ${uploadPurposes.join(', ')}.`, 'invalid_value', 'purpose');
  return purpose;
}

/** `expires_after` as the SDKs send it (bracketed fields), or the default retention of batch files. */
function expiryOf(fields: UploadFields, purpose: string, now: Date, defaultSeconds: number): Date | null {
  if (fields.expiresAfterAnchor !== undefined || fields.expiresAfterSeconds !== undefined) {
    if (fields.expiresAfterAnchor !== 'created_at') throw new HttpFailure(400, "expires_after[anchor] must be 'created_at'.", 'invalid_value', 'expires_after.anchor');
    const seconds = Number(fields.expiresAfterSeconds);
    if (!Number.isInteger(seconds) || seconds < 3600 || seconds > 2_592_000) throw new HttpFailure(400, 'expires_after[seconds] must be an integer from 3600 to 2592000.', 'invalid_value', 'expires_after.seconds');
    return new Date(now.getTime() + seconds * 1000);
  }
  return purpose === 'batch' ? new Date(now.getTime() + defaultSeconds * 1000) : null;
}
