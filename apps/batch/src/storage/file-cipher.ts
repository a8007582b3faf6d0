import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';

/**
 * At-rest encryption of file bodies: AES-256-GCM in fixed-size segments (the STREAM construction),
 * so a file decrypts as a stream with every byte authenticated before it is emitted, and a byte
 * range costs only the segments that cover it.
 *
 * Layout (version 1):
 *   header  "LLMF" | version u8 = 1 | segment size u32BE = SEGMENT_BYTES | salt (8 random bytes)
 *   segment i: ciphertext of SEGMENT_BYTES plaintext bytes (the last one 1..SEGMENT_BYTES, or 0
 *              for an empty file) | 16-byte tag
 *
 * Key: HKDF-SHA-256(tenant data key, salt, "llmaas-batch/file/v1\0" + fileId). One data key
 * encrypts every file of a tenant; a per-file key keeps nonces from colliding across files,
 * which 56 random bits of nonce prefix alone would not guarantee over millions of files.
 * Nonce of segment i: salt[0..7] | u32BE(i) | 1 on the final segment, else 0. The index stops
 * reordering, the final flag stops truncation at a segment boundary.
 * AAD of every segment: header bytes | fileId, so a body moved under another file id fails.
 */

export const SEGMENT_BYTES = 64 * 1024;

const MAGIC = Buffer.from('LLMF', 'latin1');
const VERSION = 1;
const SALT_BYTES = 8;
const NONCE_PREFIX_BYTES = 7;
const HEADER_BYTES = MAGIC.length + 1 + 4 + SALT_BYTES;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const MAX_SEGMENTS = 2 ** 32;

export class FileIntegrityError extends Error {
  override readonly name = 'FileIntegrityError';

  constructor(
    readonly fileId: string,
    detail: string,
  ) {
    super(`file "${fileId}" failed authentication (tampered, truncated or wrong key): ${detail}`);
  }
}

/** Plaintext size from the encrypted file's size alone; RangeError if no writer makes that size. */
export function plaintextSize(encryptedBytes: number): number {
  const body = encryptedBytes - HEADER_BYTES;
  const stride = SEGMENT_BYTES + TAG_BYTES;
  const fullSegments = Math.floor(body / stride);
  const rest = body % stride;
  // The writer never emits an empty segment after a full one, so rest === TAG_BYTES is only
  // valid for an empty file.
  const valid =
    Number.isSafeInteger(encryptedBytes) &&
    body >= TAG_BYTES &&
    (rest === 0 || rest > TAG_BYTES || (rest === TAG_BYTES && fullSegments === 0));
  if (!valid) throw new RangeError(`${encryptedBytes} bytes is not a valid encrypted file size`);
  return rest === 0
    ? fullSegments * SEGMENT_BYTES
    : fullSegments * SEGMENT_BYTES + rest - TAG_BYTES;
}

/** Encrypted file size for a plaintext size (the inverse of plaintextSize). */
export function encryptedSize(plaintextBytes: number): number {
  const segments = Math.max(1, Math.ceil(plaintextBytes / SEGMENT_BYTES));
  return HEADER_BYTES + plaintextBytes + segments * TAG_BYTES;
}

type WriterState = 'open' | 'finished' | 'failed' | 'aborted';

/**
 * Writes `${path}.partial`, renamed to `path` only by finish(): nothing half-written is ever at
 * `path`. Await each write before the next. After any failure call abort().
 */
export class EncryptedFileWriter {
  private readonly pending = Buffer.alloc(SEGMENT_BYTES);
  private pendingBytes = 0;
  private segmentIndex = 0;
  private position = 0;
  private plaintextBytes = 0;
  private readonly sha256 = createHash('sha256');
  private state: WriterState = 'open';
  private busy = false;
  private handleOpen = true;
  private renamed = false;

  private constructor(
    private readonly path: string,
    private readonly partialPath: string,
    private readonly handle: FileHandle,
    private readonly segments: SegmentCipher,
  ) {}

  static async open(path: string, key: Buffer, fileId: string): Promise<EncryptedFileWriter> {
    const header = buildHeader(randomBytes(SALT_BYTES));
    const segments = new SegmentCipher(key, fileId, header);
    const partialPath = `${path}.partial`;
    // 'wx': two writers on one file id must fail loudly rather than interleave their segments.
    const handle = await open(partialPath, 'wx', 0o600);
    const writer = new EncryptedFileWriter(path, partialPath, handle, segments);
    try {
      await writer.writeAll(header);
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return writer;
  }

  /** Holds back up to one full segment: only finish() knows which segment is the final one. */
  async write(chunk: Buffer): Promise<void> {
    await this.exclusive(async () => {
      this.sha256.update(chunk);
      this.plaintextBytes += chunk.length;
      let offset = 0;
      while (offset < chunk.length) {
        if (this.pendingBytes === SEGMENT_BYTES) await this.flushSegment(false);
        const copied = chunk.copy(this.pending, this.pendingBytes, offset);
        this.pendingBytes += copied;
        offset += copied;
      }
    });
  }

  /** Writes the final segment, fsyncs, renames into place and fsyncs the directory. */
  async finish(): Promise<{ plaintextBytes: number; sha256: string }> {
    await this.exclusive(async () => {
      await this.flushSegment(true);
      await this.handle.sync();
      this.handleOpen = false;
      await this.handle.close();
      await rename(this.partialPath, this.path);
      this.renamed = true;
      // Without this a crash can lose the rename even though the data blocks were synced.
      const dir = await open(dirname(this.path), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    });
    this.state = 'finished';
    return { plaintextBytes: this.plaintextBytes, sha256: this.sha256.digest('hex') };
  }

  /**
   * Closes and deletes the partial file; also the renamed file when finish() got that far and
   * then failed, since its caller treats the upload as failed. A no-op after a successful finish.
   */
  async abort(): Promise<void> {
    if (this.state === 'finished' || this.state === 'aborted') return;
    this.state = 'aborted';
    if (this.handleOpen) {
      this.handleOpen = false;
      await this.handle.close().catch(() => undefined);
    }
    await rm(this.partialPath, { force: true });
    if (this.renamed) await rm(this.path, { force: true });
  }

  private async exclusive(action: () => Promise<void>): Promise<void> {
    if (this.state !== 'open') throw new Error(`encrypted file writer is ${this.state}`);
    if (this.busy) throw new Error('encrypted file writer: await each call before the next');
    this.busy = true;
    try {
      await action();
    } catch (error) {
      if (this.state === 'open') this.state = 'failed';
      throw error;
    } finally {
      this.busy = false;
    }
  }

  private async flushSegment(final: boolean): Promise<void> {
    if (this.segmentIndex >= MAX_SEGMENTS) throw new RangeError('file too large to encrypt');
    const sealed = this.segments.seal(
      this.segmentIndex,
      final,
      this.pending.subarray(0, this.pendingBytes),
    );
    await this.writeAll(sealed);
    this.segmentIndex++;
    this.pendingBytes = 0;
  }

  private async writeAll(bytes: Buffer): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(
        bytes,
        offset,
        bytes.length - offset,
        this.position,
      );
      offset += bytesWritten;
      this.position += bytesWritten;
    }
  }
}

/**
 * Plaintext of [start, end) (default: the whole file) as a stream. Reads only the segments that
 * cover the range and authenticates each before pushing any of its bytes. A range that stops
 * before the last segment cannot tell a file truncated after it; one that reaches the end can.
 * Authentication failures are FileIntegrityError; I/O errors (a missing file) pass through as is.
 */
export function decryptStream(
  path: string,
  key: Buffer,
  fileId: string,
  range: { start?: number; end?: number } = {},
): Readable {
  assertKey(key);
  assertFileId(fileId);
  for (const bound of [range.start, range.end]) {
    if (bound !== undefined && !(Number.isSafeInteger(bound) && bound >= 0)) {
      throw new RangeError(`range bounds must be non-negative integers, got ${bound}`);
    }
  }
  return new DecryptingReadable(path, key, fileId, range.start ?? 0, range.end);
}

export async function readRange(
  path: string,
  key: Buffer,
  fileId: string,
  start: number,
  end: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of decryptStream(path, key, fileId, { start, end })) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface ReadPlan {
  segments: SegmentCipher;
  segmentCount: number;
  plaintextBytes: number;
  start: number;
  end: number;
  next: number;
  last: number;
}

class DecryptingReadable extends Readable {
  private handle: FileHandle | undefined;
  private plan: ReadPlan | undefined;

  constructor(
    private readonly path: string,
    private readonly key: Buffer,
    private readonly fileId: string,
    private readonly start: number,
    private readonly end: number | undefined,
  ) {
    super();
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.prepare().then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  override _read(): void {
    this.readSegment().then(
      (chunk) => this.push(chunk),
      (error: Error) => this.destroy(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    this.handle = undefined;
    if (!handle) return callback(error);
    handle.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }

  private async prepare(): Promise<void> {
    this.handle = await open(this.path, 'r');
    const { size } = await this.handle.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await this.handle.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES) throw this.integrityError('shorter than its header');
    checkHeader(header, this.fileId);

    let plaintextBytes: number;
    try {
      plaintextBytes = plaintextSize(size);
    } catch {
      throw this.integrityError(`${size} bytes is not a whole number of segments`);
    }
    const segmentCount = Math.max(1, Math.ceil(plaintextBytes / SEGMENT_BYTES));
    const end = Math.min(this.end ?? plaintextBytes, plaintextBytes);
    const start = Math.min(this.start, end);
    // An empty range still authenticates one segment, so a wrong key never reads as "empty".
    const first = Math.min(Math.floor(start / SEGMENT_BYTES), segmentCount - 1);
    const last = end > start ? Math.ceil(end / SEGMENT_BYTES) - 1 : first;
    this.plan = {
      segments: new SegmentCipher(this.key, this.fileId, header),
      segmentCount,
      plaintextBytes,
      start,
      end,
      next: first,
      last,
    };
  }

  /** The next segment's bytes within the range, or null at the end. */
  private async readSegment(): Promise<Buffer | null> {
    const plan = this.plan;
    const handle = this.handle;
    if (!plan || !handle || plan.next > plan.last) return null;
    const index = plan.next++;
    const segmentStart = index * SEGMENT_BYTES;
    const length = Math.min(SEGMENT_BYTES, plan.plaintextBytes - segmentStart);
    const sealed = Buffer.alloc(length + TAG_BYTES);
    const position = HEADER_BYTES + index * (SEGMENT_BYTES + TAG_BYTES);
    const { bytesRead } = await handle.read(sealed, 0, sealed.length, position);
    if (bytesRead < sealed.length) throw this.integrityError('file shrank while being read');

    const plaintext = plan.segments.open(index, index === plan.segmentCount - 1, sealed);
    if (!plaintext) throw this.integrityError(`segment ${index} does not authenticate`);
    const from = Math.max(plan.start, segmentStart) - segmentStart;
    const to = Math.min(plan.end, segmentStart + length) - segmentStart;
    return plaintext.subarray(from, Math.max(from, to));
  }

  private integrityError(detail: string): FileIntegrityError {
    return new FileIntegrityError(this.fileId, detail);
  }
}

/** Per-file key and the header-bound AAD, shared by the writer and the reader. */
class SegmentCipher {
  private readonly fileKey: Buffer;
  private readonly aad: Buffer;
  private readonly noncePrefix: Buffer;

  constructor(dataKey: Buffer, fileId: string, header: Buffer) {
    assertKey(dataKey);
    assertFileId(fileId);
    const salt = header.subarray(HEADER_BYTES - SALT_BYTES);
    const info = Buffer.from(`llmaas-batch/file/v${VERSION}\0${fileId}`, 'utf8');
    this.fileKey = Buffer.from(hkdfSync('sha256', dataKey, salt, info, KEY_BYTES));
    this.aad = Buffer.concat([header, Buffer.from(fileId, 'utf8')]);
    this.noncePrefix = Buffer.from(salt.subarray(0, NONCE_PREFIX_BYTES));
  }

  seal(index: number, final: boolean, plaintext: Buffer): Buffer {
    const cipher = createCipheriv('aes-256-gcm', this.fileKey, this.nonce(index, final), {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(this.aad);
    return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  }

  /** null when the segment does not authenticate at this index and position. */
  open(index: number, final: boolean, sealed: Buffer): Buffer | null {
    const decipher = createDecipheriv('aes-256-gcm', this.fileKey, this.nonce(index, final), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(this.aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      return null;
    }
  }

  private nonce(index: number, final: boolean): Buffer {
    const nonce = Buffer.alloc(NONCE_PREFIX_BYTES + 4 + 1);
    this.noncePrefix.copy(nonce);
    nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
    nonce[NONCE_PREFIX_BYTES + 4] = final ? 1 : 0;
    return nonce;
  }
}

function buildHeader(salt: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header[MAGIC.length] = VERSION;
  header.writeUInt32BE(SEGMENT_BYTES, MAGIC.length + 1);
  salt.copy(header, MAGIC.length + 5);
  return header;
}

/** Rejects what the format cannot be; everything else is left to the tags (the header is in the AAD). */
function checkHeader(header: Buffer, fileId: string): void {
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new FileIntegrityError(fileId, 'not an encrypted file (bad magic)');
  }
  const version = header[MAGIC.length];
  if (version !== VERSION) {
    throw new FileIntegrityError(fileId, `unknown format version ${version}`);
  }
  // The size comes from the header only to be checked: a forged one must not drive allocations.
  const segmentBytes = header.readUInt32BE(MAGIC.length + 1);
  if (segmentBytes !== SEGMENT_BYTES) {
    throw new FileIntegrityError(fileId, `unexpected segment size ${segmentBytes}`);
  }
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new RangeError(`file data key must be ${KEY_BYTES} bytes, got ${key.length}`);
  }
}

function assertFileId(fileId: string): void {
  if (fileId === '') throw new RangeError('file id must not be empty');
}
