import { describe, expect, it } from 'vitest';

import { countContentChunks, estimatePromptTokens } from './usage-estimate.js';

describe('usage of a stream cut short', () => {
  it('counts delivered content chunks, not the empty first delta', () => {
    const events = [
      'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}',
      'data: {"choices":[{"index":0,"delta":{"reasoning_content":"hm"}}]}',
      'data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}',
      'data: {"choices":[{"index":0,"delta":{"content":"lo"}}]}',
      'data: {"choices":[{"index":0,"text":"legacy","finish_reason":null}]}',
    ];
    expect(countContentChunks(Buffer.from(events.join('\n\n')))).toBe(4);
  });

  it('counts the prompt with the o200k tokenizer', async () => {
    expect(await estimatePromptTokens({ messages: [{ role: 'user', content: 'Hello world' }] })).toBe(2);
    expect(await estimatePromptTokens({ prompt: ['Hello', 'world'] })).toBeGreaterThan(0);
  });
});
