import { describe, expect, it } from 'vitest';

import { guardRefusal, promptTexts } from './prompt-guard.js';

const verdict = (decision: 'allow' | 'block') => ({ verdict: { requestId: 'r', tenantId: 't', keyId: 'k', decision, score: 0.9, layer: 'structure', rules: ['L1.x'], reasons: ['The JSON prompt claims the "system" role.'], at: '2026-11-26T00:00:00Z' } });

describe('prompt guard at the gateway', () => {
  it('collects every user-controlled text', () => {
    expect(promptTexts({ messages: [{ role: 'system', content: 'be nice' }, { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url', image_url: { url: 'x' } }] }, { role: 'assistant', content: null }] })).toEqual(['be nice', 'hi']);
    expect(promptTexts({ prompt: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(promptTexts({ prompt: [1, 2, 3] })).toEqual([]);
  });

  it('turns a block into a 400 naming the reason, and a silent guard into a 503 unless failing open', () => {
    expect(guardRefusal(verdict('allow'), false)).toBeNull();
    expect(guardRefusal(verdict('block'), false)).toMatchObject({ status: 400, code: 'prompt_blocked', param: 'messages', message: expect.stringContaining('"system" role') as string });
    expect(guardRefusal({ error: new Error('timeout') }, false)).toMatchObject({ status: 503, code: 'guard_unavailable' });
    expect(guardRefusal({ error: new Error('timeout') }, true)).toBeNull();
  });
});
