import { beforeAll, describe, expect, it } from 'vitest';

import { countChatPrompt, countTokens, loadTokenizer, TOKENS_PER_IMAGE, TOKENS_PER_MESSAGE, TOKENS_REPLY_PRIMING, tokenPieces } from './tokenizer.js';

beforeAll(loadTokenizer);

describe('tokenizer', () => {
  it('counts with o200k_base, not characters', () => {
    expect(countTokens('Hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
    expect(countTokens('antidisestablishmentarianism')).not.toBe(Math.ceil('antidisestablishmentarianism'.length / 4));
  });

  it('cuts text into pieces that concatenate back', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const pieces = tokenPieces(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces).toHaveLength(countTokens(text));
  });

  it('counts a chat prompt: text, text parts, images and per-message framing', () => {
    const one = countChatPrompt([{ role: 'user', content: 'Hello world' }]);
    expect(one.tokens).toBe(TOKENS_REPLY_PRIMING + TOKENS_PER_MESSAGE + countTokens('user') + 2);
    const parts = countChatPrompt([
      { role: 'user', content: [{ type: 'text', text: 'Hello world' }, { type: 'image_url', image_url: { url: 'data:' } }] },
    ]);
    expect(parts.tokens).toBe(one.tokens + TOKENS_PER_IMAGE);
    expect(parts.text).toBe('Hello world');
  });
});
