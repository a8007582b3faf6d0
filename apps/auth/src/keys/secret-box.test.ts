import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { SecretBox } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32).toString('hex'));

  it('opens what it sealed, and the sealed bytes are not the plaintext', () => {
    const sealed = box.seal('llm_secret');
    expect(sealed.toString('utf8')).not.toContain('llm_secret');
    expect(box.open(sealed)).toBe('llm_secret');
  });

  it('refuses tampered bytes and a wrong key', () => {
    const sealed = box.seal('llm_secret');
    sealed[14] = (sealed[14] ?? 0) ^ 1;
    expect(() => box.open(sealed)).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('hex')).open(box.seal('x'))).toThrow();
  });
});
