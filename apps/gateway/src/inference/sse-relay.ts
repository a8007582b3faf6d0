import { type Writable } from 'node:stream';

import { countContentChunks } from './usage-estimate.js';

export interface StreamUsage {
  prompt_tokens: number;
  completion_tokens: number;
  completion_tokens_details?: { reasoning_tokens?: number };
}

export interface RelayOutcome {
  usage: StreamUsage | null;
  /** ms from the relay start to the first content chunk; null when none came. */
  firstChunkMs: number | null;
  /** The worker ended the stream properly (`[DONE]`). */
  completed: boolean;
  /** Content chunks delivered (one token each): the bill of a stream cut short. */
  contentChunks: number;
}

const DONE = 'data: [DONE]\n\n';
const USAGE_MARK = Buffer.from('"choices":[]');
const DONE_MARK = Buffer.from('data: [DONE]');


/**
 * Passes a worker's SSE stream to the client event by event. The worker is always asked for
 * usage (the platform bills from it); its usage chunk (`"choices":[]`) reaches the client only
 * when the client asked for it. A stream that ends without `[DONE]` (worker died) gets an
 * OpenAI error event and `[DONE]`, so SDKs raise a clean APIError instead of hanging.
 */
export async function relaySse(
  upstream: AsyncIterable<Buffer | string>,
  out: Writable,
  clientWantsUsage: boolean,
  started = performance.now(),
  /** Receives everything sent to the client (kept for Idempotency-Key replays). */
  record?: (text: string) => void,
): Promise<RelayOutcome> {
  let pending = '';
  let usage: StreamUsage | null = null;
  let firstChunkMs: number | null = null;
  let completed = false;
  let contentChunks = 0;
  const write = (sink: Writable, text: string) => {
    record?.(text);
    return new Promise<void>((resolve) => (sink.write(text) ? resolve() : sink.once('drain', resolve)));
  };
  const handle = async (event: string) => {
    if (event === 'data: [DONE]') {
      completed = true;
      return;
    }
    if (event.startsWith('data: ') && event.includes('"choices":[]') && event.includes('"usage"')) {
      try {
        usage = (JSON.parse(event.slice(6)) as { usage?: StreamUsage }).usage ?? null;
      } catch {
        // not JSON: pass it on untouched
      }
      if (!clientWantsUsage) return;
    } else if (event.startsWith('data: ')) {
      if (firstChunkMs === null) firstChunkMs = performance.now() - started;
      contentChunks += countContentChunks(Buffer.from(event));
    }
    await write(out, `${event}\n\n`);
  };
  try {
    for await (const piece of upstream) {
      // Fast path: a piece of whole events with nothing to look at (no usage chunk, no end) goes
      // to the client as it came, in one write, without decoding: most of a stream is this.
      if (pending.length === 0 && typeof piece !== 'string' && piece.length > 1 && piece[piece.length - 1] === 10 && piece[piece.length - 2] === 10 && !piece.includes(USAGE_MARK) && !piece.includes(DONE_MARK)) {
        if (firstChunkMs === null) firstChunkMs = performance.now() - started;
        contentChunks += countContentChunks(piece);
        record?.(piece.toString('utf8'));
        if (!out.write(piece)) await new Promise<void>((resolve) => out.once('drain', resolve));
        continue;
      }
      pending += typeof piece === 'string' ? piece : piece.toString('utf8');
      let end = pending.indexOf('\n\n');
      while (end >= 0) {
        const event = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (event.length > 0) await handle(event);
        end = pending.indexOf('\n\n');
      }
    }
  } catch {
    // the worker's connection broke: reported below like any unfinished stream
  }
  if (!completed) {
    const error = { error: { message: 'The worker serving this request failed before the response was complete.', type: 'server_error', param: null, code: 'worker_failed' } };
    await write(out, `data: ${JSON.stringify(error)}\n\n`);
  }
  await write(out, DONE);
  return { usage, firstChunkMs, completed, contentChunks };
}
