import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { relaySse } from './sse-relay.js';

function pieces(...parts: string[]): AsyncIterable<Buffer> {
  return (async function* () {
    for (const p of parts) {
      await Promise.resolve();
      yield Buffer.from(p);
    }
  })();
}
async function run(parts: string[], wantsUsage: boolean) {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  const outcome = await relaySse(pieces(...parts), out, wantsUsage);
  return { outcome, text: chunks.join('') };
}

const chunk = (content: string) => `data: {"id":"c","choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}\n\n`;
const usage = 'data: {"id":"c","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}\n\n';

describe('relaySse', () => {
  it('passes events through, split anywhere, and captures usage without showing it when not asked', async () => {
    const all = chunk('Hel') + chunk('lo') + usage + 'data: [DONE]\n\n';
    const { outcome, text } = await run([all.slice(0, 7), all.slice(7, 50), all.slice(50)], false);
    expect(text).toBe(chunk('Hel') + chunk('lo') + 'data: [DONE]\n\n');
    expect(outcome).toMatchObject({ completed: true, usage: { prompt_tokens: 5, completion_tokens: 2 }, contentChunks: 2 });
    expect(outcome.firstChunkMs).not.toBeNull();
  });

  it('keeps the usage chunk when the client asked for it', async () => {
    const { text } = await run([chunk('a'), usage, 'data: [DONE]\n\n'], true);
    expect(text).toContain('"choices":[]');
  });

  it('ends a broken stream with an error event and [DONE]', async () => {
    const { outcome, text } = await run([chunk('a'), 'data: {"id":"c","cho'], false);
    expect(outcome.completed).toBe(false);
    expect(outcome.contentChunks).toBe(1);
    expect(text).toBe(`${chunk('a')}data: {"error":{"message":"The worker serving this request failed before the response was complete.","type":"server_error","param":null,"code":"worker_failed"}}\n\ndata: [DONE]\n\n`);
  });
});
