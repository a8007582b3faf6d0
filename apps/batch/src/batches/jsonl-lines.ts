/**
 * Splitting a batch input file into lines without holding the file in memory: the file can be
 * 200 MB, so only the line being assembled is kept. Byte offsets are reported so that the
 * execution side can re-read a range of lines (a chunk) without scanning the file again.
 */

export interface InputLine {
  /** 1-based physical line number, blank lines included. */
  line: number;
  /** The line decoded as UTF-8, without its `\n` or `\r\n`. */
  text: string;
  /** Byte offset of the line's first byte in the plaintext. */
  start: number;
  /** Byte offset just past the line, its newline included (exclusive). */
  end: number;
}

/** No request line is documented to be this large; it bounds memory, not requests. */
export const defaultMaxLineBytes = 64 * 1024 * 1024;

export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly maxLineBytes: number,
  ) {
    super(`Line ${line} is longer than ${maxLineBytes} bytes.`);
    this.name = 'LineTooLongError';
  }
}

const NEWLINE = 0x0a;
const CR = 0x0d;
// A UTF-8 byte-order mark (Windows editors write one) would otherwise make line 1 invalid JSON.
const BOM = '\ufeff';

/**
 * Splits a byte stream into lines (`\n` or `\r\n`; a last line without newline counts), decoding
 * UTF-8 correctly across chunk boundaries; blank (whitespace-only) lines are yielded too (the
 * validator decides). Memory is bounded by the longest line; a line whose content (newline
 * excluded) is longer than `maxLineBytes` throws LineTooLongError.
 */
export async function* splitLines(source: AsyncIterable<Buffer | Uint8Array>, maxLineBytes = defaultMaxLineBytes): AsyncGenerator<InputLine> {
  // Splitting on the 0x0A byte before decoding is what makes chunk boundaries safe: 0x0A never
  // occurs inside a multi-byte UTF-8 sequence, so every line is whole bytes when it is decoded.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineStart = 0;
  let offset = 0;
  let lineNo = 0;

  const finish = (tail: Buffer, end: number, hasNewline: boolean): InputLine => {
    lineNo++;
    let bytes = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    if (hasNewline) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > maxLineBytes) throw new LineTooLongError(lineNo, maxLineBytes);
    let text = decoder.decode(bytes);
    if (lineNo === 1 && text.startsWith(BOM)) text = text.slice(1);
    const line: InputLine = { line: lineNo, text, start: lineStart, end };
    lineStart = end;
    return line;
  };

  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
      yield finish(chunk.subarray(from, nl + 1), offset + nl + 1, true);
      from = nl + 1;
    }
    if (from < chunk.length) {
      // Copied because a source may reuse its buffer for the next chunk.
      const rest = Buffer.from(chunk.subarray(from));
      pending.push(rest);
      pendingBytes += rest.length;
      // +1: the last byte may be the `\r` of a `\r\n`, which does not count.
      if (pendingBytes > maxLineBytes + 1) throw new LineTooLongError(lineNo + 1, maxLineBytes);
    }
    offset += chunk.length;
  }
  if (pendingBytes > 0) yield finish(Buffer.alloc(0), offset, false);
}
