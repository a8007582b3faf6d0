import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type BatchConfig } from '../batch.config.js';
import { decryptStream, EncryptedFileWriter, readRange } from '../storage/file-cipher.js';
import { DataKeys } from '../storage/data-keys.service.js';

/** Where file bodies live: one directory per tenant, one encrypted file per file id. */
@Injectable()
export class FileStore {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: BatchConfig,
    private readonly keys: DataKeys,
  ) {}

  pathOf(tenantId: string, fileId: string): string {
    return join(this.config.BATCH_DATA_DIR, tenantId, fileId);
  }

  /** A writer for a new body; a leftover partial file of the same id (a crash mid-write) is removed first. */
  async writer(tenantId: string, fileId: string): Promise<EncryptedFileWriter> {
    const path = this.pathOf(tenantId, fileId);
    await mkdir(join(this.config.BATCH_DATA_DIR, tenantId), { recursive: true, mode: 0o700 });
    await rm(`${path}.partial`, { force: true });
    return EncryptedFileWriter.open(path, await this.keys.keyFor(tenantId), fileId);
  }

  async read(tenantId: string, fileId: string, range?: { start?: number; end?: number }): Promise<Readable> {
    return decryptStream(this.pathOf(tenantId, fileId), await this.keys.keyFor(tenantId), fileId, range);
  }

  async readRange(tenantId: string, fileId: string, start: number, end: number): Promise<Buffer> {
    return readRange(this.pathOf(tenantId, fileId), await this.keys.keyFor(tenantId), fileId, start, end);
  }

  async remove(tenantId: string, fileId: string): Promise<void> {
    const path = this.pathOf(tenantId, fileId);
    await rm(path, { force: true });
    await rm(`${path}.partial`, { force: true });
  }
}
