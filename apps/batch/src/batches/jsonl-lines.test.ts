import { setImmediate as nextTurn } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { type InputLine, LineTooLongError, splitLines } from './jsonl-lines.js';

/** The chunks as a stream that, like a file, waits a turn of the event loop for each one. */
async function* stream<T extends Uint8Array>(chunks: Iterable<T>): AsyncGenerator<T> {
  for (const chunk of chunks) {
    await nextTurn();
    yield chunk;
  }
}

function* slices(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const chunked = (bytes: Buffer, size: number) => stream(slices(bytes, size));

async function collect(source: AsyncIterable<Buffer | Uint8Array>, maxLineBytes?: number): Promise<InputLine[]> {
  const lines: InputLine[] = [];
  for await (const line of splitLines(source, maxLineBytes)) lines.push(line);
  return lines;
}

const split = (text: string, size = 1 << 16, maxLineBytes?: number) => collect(chunked(Buffer.from(text, 'utf8'), size), maxLineBytes);

describe('splitLines', () => {
  it('splits on \\n, numbers lines from 1 and reports byte offsets including the newline', async () => {
    expect(await split('{"a":1}\n{"b":2}\n')).toEqual([
      { line: 1, text: '{"a":1}', start: 0, end: 8 },
      { line: 2, text: '{"b":2}', start: 8, end: 16 },
    ]);
  });

  it('strips \\r\\n, and the range still covers both bytes', async () => {
    expect(await split('ab\r\ncd\r\n')).toEqual([
      { line: 1, text: 'ab', start: 0, end: 4 },
      { line: 2, text: 'cd', start: 4, end: 8 },
    ]);
  });

  it('yields a last line without newline, and nothing after a final newline', async () => {
    expect(await split('a\nb')).toEqual([
      { line: 1, text: 'a', start: 0, end: 2 },
      { line: 2, text: 'b', start: 2, end: 3 },
    ]);
    expect(await split('a\r\nb\r')).toEqual([
      { line: 1, text: 'a', start: 0, end: 3 },
      { line: 2, text: 'b', start: 3, end: 5 },
    ]);
    expect(await split('')).toEqual([]);
  });

  it('yields blank and whitespace-only lines with their physical numbers', async () => {
    const lines = await split('\n  \r\nx\n\n');
    expect(lines.map((l) => [l.line, l.text])).toEqual([
      [1, ''],
      [2, '  '],
      [3, 'x'],
      [4, ''],
    ]);
  });

  it('decodes multi-byte UTF-8 split across 1-byte chunks', async () => {
    const text = '{"custom_id":"é日本🙂"}\r\n{"x":"ü"}\n🙂';
    const lines = await split(text, 1);
    expect(lines.map((l) => l.text)).toEqual(['{"custom_id":"é日本🙂"}', '{"x":"ü"}', '🙂']);
    expect(lines.map((l) => l.text).join('')).not.toContain('\ufffd');
  });

  it('gives the same lines whatever the chunk size, and offsets that slice the original bytes', async () => {
    const text = 'héllo\r\n\n{"k":"日本語"}\n   \n🙂🙂 last';
    const bytes = Buffer.from(text, 'utf8');
    const expected = await split(text);
    for (let size = 1; size <= bytes.length + 1; size++) expect(await split(text, size)).toEqual(expected);
    for (const line of expected) {
      const slice = bytes.subarray(line.start, line.end).toString('utf8');
      expect(slice.replace(/\r?\n$/, '')).toBe(line.text);
      expect(line.end - line.start).toBe(Buffer.byteLength(slice));
    }
    expect(expected.at(-1)?.end).toBe(bytes.length);
    expect(expected.map((l) => l.start).slice(1)).toEqual(expected.map((l) => l.end).slice(0, -1));
  });

  it('accepts plain Uint8Array chunks, even ones that are views into a larger buffer', async () => {
    const backing = new Uint8Array(Buffer.from('XXa\nbXX'));
    expect((await collect(stream([backing.subarray(2, 5), new Uint8Array([0x63, 0x0a])]))).map((l) => [l.text, l.start, l.end])).toEqual([
      ['a', 0, 2],
      ['bc', 2, 5],
    ]);
  });

  it('does not keep references to a chunk buffer the source reuses', async () => {
    const reused = Buffer.alloc(3);
    async function* source() {
      for (const part of ['abc', 'de\n']) {
        await nextTurn();
        reused.write(part);
        yield reused;
      }
    }
    expect((await collect(source())).map((l) => l.text)).toEqual(['abcde']);
  });

  it('drops a UTF-8 byte-order mark at the start of the file but counts its bytes', async () => {
    const lines = await split('\ufeff{"a":1}\n\ufeffx\n');
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}', start: 0, end: 11 },
      { line: 2, text: '\ufeffx', start: 11, end: 16 },
    ]);
  });

  it('throws LineTooLongError with the line number, inside one chunk or across many', async () => {
    const text = 'ok\n' + 'x'.repeat(11) + '\nok\n';
    for (const size of [1, 4, 1000]) {
      const error: unknown = await split(text, size, 10).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LineTooLongError);
      expect((error as LineTooLongError).line).toBe(2);
    }
  });

  it('allows a line of exactly maxLineBytes, its \\r\\n not counted', async () => {
    const text = 'x'.repeat(10) + '\r\n' + 'é'.repeat(5) + '\r\n';
    for (const size of [1, 3, 1000]) expect((await split(text, size, 10)).map((l) => l.text.length)).toEqual([10, 5]);
    await expect(split('é'.repeat(5) + 'x', 1, 10)).rejects.toBeInstanceOf(LineTooLongError);
  });
});
