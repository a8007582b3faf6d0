import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  decryptStream,
  EncryptedFileWriter,
  encryptedSize,
  FileIntegrityError,
  plaintextSize,
  readRange,
  SEGMENT_BYTES,
} from './file-cipher.js';
import { generateDataKey, parseMasterKeys, unwrapDataKey, wrapDataKey } from './key-wrap.js';

const HEADER = 17;
const STRIDE = SEGMENT_BYTES + 16;

let dir: string;
let counter = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-cipher-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function nextPath(): string {
  return join(dir, `file-${++counter}.enc`);
}

/** Deterministic, so a failing offset can be reproduced. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function writeEncrypted(
  path: string,
  key: Buffer,
  fileId: string,
  plaintext: Buffer,
  chunkSizes: () => number = () => plaintext.length || 1,
): Promise<{ plaintextBytes: number; sha256: string }> {
  const writer = await EncryptedFileWriter.open(path, key, fileId);
  for (let offset = 0; offset < plaintext.length;) {
    const size = Math.max(1, chunkSizes());
    await writer.write(plaintext.subarray(offset, offset + size));
    offset += size;
  }
  return writer.finish();
}

async function decryptAll(path: string, key: Buffer, fileId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of decryptStream(path, key, fileId)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Buffer.equals: vitest's deep equality walks megabytes byte by byte, for seconds. */
function expectBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

function flip(bytes: Buffer, index: number, mask: number): void {
  bytes[index] = bytes[index]! ^ mask;
}

async function mutate(path: string, change: (bytes: Buffer) => Buffer): Promise<void> {
  await writeFile(path, change(await readFile(path)));
}

describe('round trip', () => {
  const key = generateDataKey();

  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['one full segment', SEGMENT_BYTES],
    ['one segment and a byte', SEGMENT_BYTES + 1],
    ['two full segments', 2 * SEGMENT_BYTES],
  ])('%s', async (_name, size) => {
    const path = nextPath();
    const plaintext = randomBytes(size);
    const result = await writeEncrypted(path, key, 'file-a', plaintext);

    expect(result).toEqual({
      plaintextBytes: size,
      sha256: createHash('sha256').update(plaintext).digest('hex'),
    });
    const { size: onDisk } = await stat(path);
    expect(onDisk).toBe(encryptedSize(size));
    expect(plaintextSize(onDisk)).toBe(size);
    expectBytes(await decryptAll(path, key, 'file-a'), plaintext);
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('~3.3 MB written in random-size chunks, then read back in random ranges', async () => {
    const random = prng(42);
    const path = nextPath();
    const plaintext = randomBytes(3_300_007);
    const marker = Buffer.from('KNOWN-PLAINTEXT-MARKER-7f3a');
    marker.copy(plaintext, 1000);
    marker.copy(plaintext, SEGMENT_BYTES - 5); // straddles a segment boundary
    marker.copy(plaintext, 2_000_000);

    await writeEncrypted(path, key, 'file-big', plaintext, () => Math.floor(random() * 200_000));
    const onDisk = await readFile(path);
    expect(onDisk.includes(marker)).toBe(false);
    expect(onDisk.subarray(0, 4).toString('latin1')).toBe('LLMF');
    expectBytes(await decryptAll(path, key, 'file-big'), plaintext);

    const ranges: [number, number][] = [
      [0, 1],
      [SEGMENT_BYTES - 1, SEGMENT_BYTES + 1],
      [SEGMENT_BYTES, 2 * SEGMENT_BYTES],
      [5 * SEGMENT_BYTES - 3, 9 * SEGMENT_BYTES + 3],
      [plaintext.length - 10, plaintext.length],
      [1234, 1234],
    ];
    for (let i = 0; i < 40; i++) {
      const start = Math.floor(random() * plaintext.length);
      const length = Math.floor(random() * 3 * SEGMENT_BYTES);
      ranges.push([start, Math.min(plaintext.length, start + length)]);
    }
    for (const [start, end] of ranges) {
      const slice = await readRange(path, key, 'file-big', start, end);
      expect(slice.equals(plaintext.subarray(start, end)), `range [${start}, ${end})`).toBe(true);
    }
  });

  it('clamps ranges to the file and rejects negative bounds', async () => {
    const path = nextPath();
    const plaintext = randomBytes(100);
    await writeEncrypted(path, key, 'file-c', plaintext);
    expectBytes(await readRange(path, key, 'file-c', 90, 1_000), plaintext.subarray(90));
    expect(await readRange(path, key, 'file-c', 500, 1_000)).toHaveLength(0);
    const tail: Buffer[] = [];
    for await (const chunk of decryptStream(path, key, 'file-c', { start: 95 })) {
      tail.push(chunk as Buffer);
    }
    expectBytes(Buffer.concat(tail), plaintext.subarray(95));
    expect(() => decryptStream(path, key, 'file-c', { start: -1 })).toThrow(RangeError);
  });

  it('emits at most one segment per chunk, so streaming memory stays bounded', async () => {
    const path = nextPath();
    await writeEncrypted(path, key, 'file-d', randomBytes(5 * SEGMENT_BYTES + 7));
    const sizes: number[] = [];
    for await (const chunk of decryptStream(path, key, 'file-d'))
      sizes.push((chunk as Buffer).length);
    expect(sizes).toEqual([...Array<number>(5).fill(SEGMENT_BYTES), 7]);
  });
});

describe('integrity', () => {
  const key = generateDataKey();
  // 4 full segments and a short fifth one.
  const plaintext = randomBytes(4 * SEGMENT_BYTES + 5000);

  async function freshFile(): Promise<string> {
    const path = nextPath();
    await writeEncrypted(path, key, 'file-x', plaintext, () => 50_000);
    return path;
  }

  async function expectIntegrityError(read: Promise<unknown>, fileId = 'file-x'): Promise<void> {
    const error = await read.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FileIntegrityError);
    expect((error as FileIntegrityError).fileId).toBe(fileId);
    expect((error as Error).message).toContain(
      `file "${fileId}" failed authentication (tampered, truncated or wrong key)`,
    );
  }

  it('detects a flipped byte in a middle segment, without emitting any of its bytes', async () => {
    const path = await freshFile();
    await mutate(path, (bytes) => {
      flip(bytes, HEADER + 2 * STRIDE + 100, 0x01);
      return bytes;
    });
    await expectIntegrityError(decryptAll(path, key, 'file-x'));
    await expectIntegrityError(
      readRange(path, key, 'file-x', 2 * SEGMENT_BYTES + 1, 2 * SEGMENT_BYTES + 2),
    );

    const emitted: Buffer[] = [];
    const failed = await (async () => {
      try {
        for await (const chunk of decryptStream(path, key, 'file-x')) emitted.push(chunk as Buffer);
        return false;
      } catch {
        return true;
      }
    })();
    expect(failed).toBe(true);
    expectBytes(Buffer.concat(emitted), plaintext.subarray(0, 2 * SEGMENT_BYTES));
  });

  it('detects a flipped byte in a tag and in the header', async () => {
    const tagPath = await freshFile();
    await mutate(tagPath, (bytes) => {
      flip(bytes, HEADER + STRIDE - 1, 0x80);
      return bytes;
    });
    await expectIntegrityError(decryptAll(tagPath, key, 'file-x'));

    const headerPath = await freshFile();
    await mutate(headerPath, (bytes) => {
      flip(bytes, HEADER - 1, 0x01); // the salt: changes the file key and the AAD
      return bytes;
    });
    await expectIntegrityError(decryptAll(headerPath, key, 'file-x'));

    const magicPath = await freshFile();
    await mutate(magicPath, (bytes) => {
      bytes[0] = 0x4d;
      return bytes;
    });
    await expectIntegrityError(decryptAll(magicPath, key, 'file-x'));
  });

  it('detects the last segment removed (truncation at a segment boundary)', async () => {
    const path = await freshFile();
    await truncate(path, HEADER + 4 * STRIDE);
    await expectIntegrityError(decryptAll(path, key, 'file-x'));
    // A range that now reaches the end of the file also sees it.
    await expectIntegrityError(
      readRange(path, key, 'file-x', 4 * SEGMENT_BYTES - 10, 4 * SEGMENT_BYTES),
    );
  });

  it('detects a file cut mid-segment, including inside a tag and inside the header', async () => {
    const { size } = await stat(await freshFile());
    for (const length of [
      size - 1,
      size - 100,
      HEADER + 3 * STRIDE + 8,
      HEADER + 10,
      HEADER,
      5,
      0,
    ]) {
      const path = await freshFile();
      await truncate(path, length);
      await expectIntegrityError(decryptAll(path, key, 'file-x'));
    }
  });

  it('detects two segments swapped, and an extra copy of a segment', async () => {
    const path = await freshFile();
    await mutate(path, (bytes) => {
      const one = Buffer.from(bytes.subarray(HEADER + STRIDE, HEADER + 2 * STRIDE));
      const two = Buffer.from(bytes.subarray(HEADER + 2 * STRIDE, HEADER + 3 * STRIDE));
      two.copy(bytes, HEADER + STRIDE);
      one.copy(bytes, HEADER + 2 * STRIDE);
      return bytes;
    });
    await expectIntegrityError(decryptAll(path, key, 'file-x'));
    await expectIntegrityError(readRange(path, key, 'file-x', SEGMENT_BYTES, SEGMENT_BYTES + 1));

    const duplicated = await freshFile();
    await mutate(duplicated, (bytes) =>
      Buffer.concat([
        bytes.subarray(0, HEADER + 2 * STRIDE),
        bytes.subarray(HEADER + STRIDE, HEADER + 2 * STRIDE),
        bytes.subarray(HEADER + 2 * STRIDE),
      ]),
    );
    await expectIntegrityError(decryptAll(duplicated, key, 'file-x'));
  });

  it('detects a body moved from another file with the same key', async () => {
    const path = await freshFile();
    const other = nextPath();
    await writeEncrypted(other, key, 'file-y', plaintext);
    await writeFile(path, await readFile(other));
    await expectIntegrityError(decryptAll(path, key, 'file-x'));
  });

  it('fails with a wrong key or a wrong file id', async () => {
    const path = await freshFile();
    await expectIntegrityError(decryptAll(path, generateDataKey(), 'file-x'));
    await expectIntegrityError(decryptAll(path, key, 'file-z'), 'file-z');
    await expectIntegrityError(readRange(path, key, 'file-z', 10, 20), 'file-z');
  });

  it('fails on an empty file read with a wrong key (an empty range still authenticates)', async () => {
    const path = nextPath();
    await writeEncrypted(path, key, 'file-e', Buffer.alloc(0));
    await expectIntegrityError(decryptAll(path, generateDataKey(), 'file-e'), 'file-e');
    await expectIntegrityError(readRange(path, key, 'file-x', 0, 0), 'file-x');
  });

  it('reads only the segments a range covers', async () => {
    const path = await freshFile();
    await mutate(path, (bytes) => {
      flip(bytes, HEADER + 3 * STRIDE + 10, 0x01);
      return bytes;
    });
    const slice = await readRange(path, key, 'file-x', 10, 2 * SEGMENT_BYTES + 10);
    expectBytes(slice, plaintext.subarray(10, 2 * SEGMENT_BYTES + 10));
  });

  it('passes I/O errors through unchanged', async () => {
    await expect(decryptAll(join(dir, 'missing.enc'), key, 'file-x')).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('EncryptedFileWriter', () => {
  const key = generateDataKey();

  it('never puts anything at path before finish', async () => {
    const path = nextPath();
    const writer = await EncryptedFileWriter.open(path, key, 'file-w');
    expect(existsSync(path)).toBe(false);
    await writer.write(randomBytes(3 * SEGMENT_BYTES));
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(true);
    await writer.finish();
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}.partial`)).toBe(false);
    await expect(writer.write(Buffer.from('x'))).rejects.toThrow(/finished/);
    await writer.abort(); // a no-op once finished: the committed file stays
    expect(existsSync(path)).toBe(true);
  });

  it('abort leaves no file, and is safe to call twice', async () => {
    const path = nextPath();
    const writer = await EncryptedFileWriter.open(path, key, 'file-w');
    await writer.write(randomBytes(SEGMENT_BYTES + 10));
    await writer.abort();
    await writer.abort();
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(false);
    await expect(writer.finish()).rejects.toThrow(/aborted/);
  });

  it('abort after a failed finish cleans up', async () => {
    const sub = join(dir, `gone-${++counter}`);
    await mkdir(sub);
    const path = join(sub, 'f.enc');
    const writer = await EncryptedFileWriter.open(path, key, 'file-w');
    await writer.write(randomBytes(100));
    // Removing the directory makes the rename fail.
    await rm(sub, { recursive: true, force: true });
    await expect(writer.finish()).rejects.toThrow();
    await writer.abort();
    await writer.abort();
    expect(existsSync(sub)).toBe(false);
  });

  it('refuses a second writer on the same file while one is open', async () => {
    const path = nextPath();
    const first = await EncryptedFileWriter.open(path, key, 'file-w');
    await expect(EncryptedFileWriter.open(path, key, 'file-w')).rejects.toMatchObject({
      code: 'EEXIST',
    });
    await first.abort();
    expect(existsSync(`${path}.partial`)).toBe(false);
  });

  it('refuses a key that is not 32 bytes', async () => {
    await expect(EncryptedFileWriter.open(nextPath(), randomBytes(16), 'f')).rejects.toThrow(
      /32 bytes/,
    );
  });
});

describe('plaintextSize', () => {
  it('inverts encryptedSize and rejects sizes no writer produces', () => {
    for (const size of [
      0,
      1,
      SEGMENT_BYTES - 1,
      SEGMENT_BYTES,
      SEGMENT_BYTES + 1,
      10 * SEGMENT_BYTES + 3,
    ]) {
      expect(plaintextSize(encryptedSize(size))).toBe(size);
    }
    expect(plaintextSize(512 * 1024 * 1024 + 17 + 8192 * 16)).toBe(512 * 1024 * 1024);
    for (const bad of [0, HEADER, HEADER + 15, HEADER + STRIDE + 16, HEADER + STRIDE + 3]) {
      expect(() => plaintextSize(bad)).toThrow(RangeError);
    }
  });
});

describe('master key rotation', () => {
  it('re-wrapping the data key under a new master keeps old files readable', async () => {
    const keys = parseMasterKeys(`old:${'11'.repeat(32)}`);
    const dataKey = generateDataKey();
    const wrappedOld = wrapDataKey(keys.current, 'tenant-1', dataKey);
    const path = nextPath();
    const plaintext = randomBytes(2 * SEGMENT_BYTES + 99);
    await writeEncrypted(
      path,
      unwrapDataKey(keys.current, 'tenant-1', wrappedOld),
      'file-r',
      plaintext,
    );
    const before = await readFile(path);

    // Rotation: the new key goes first, the old one stays to unwrap during the transition.
    const rotated = parseMasterKeys(`new:${'22'.repeat(32)},old:${'11'.repeat(32)}`);
    const old = rotated.byId.get('old')!;
    const wrappedNew = wrapDataKey(
      rotated.current,
      'tenant-1',
      unwrapDataKey(old, 'tenant-1', wrappedOld),
    );
    expect(rotated.current.id).toBe('new');

    const afterRotation = parseMasterKeys(`new:${'22'.repeat(32)}`);
    const recovered = unwrapDataKey(afterRotation.current, 'tenant-1', wrappedNew);
    expectBytes(await decryptAll(path, recovered, 'file-r'), plaintext);
    expectBytes(await readFile(path), before);
  });
});
