import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isBorderline, opinionText, readOpinion, SecondOpinion, withOpinion } from './second-opinion.js';

// A stand-in for an engine serving granite3-guardian (an OpenAI-compatible HTTP server): it says
// "Yes" when the user text mentions a jailbreak, answers slowly for "slow", and fails for "boom".
let server: Server;
let url = '';
const seen: unknown[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { model: string; messages: { role: string; content: string }[] };
      seen.push({ path: req.url, auth: req.headers.authorization, ...parsed });
      const user = parsed.messages.find((m) => m.role === 'user')?.content ?? '';
      if (user.includes('boom')) return res.writeHead(500).end('{}');
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: user.includes('jailbreak') ? 'Yes' : 'No' } }] }));
      if (user.includes('slow')) setTimeout(answer, 500);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const verdict = { requestId: 'r', tenantId: 't', keyId: 'k', decision: 'allow' as const, score: 0.4, layer: 'learned', rules: ['L4.ngram-linear.v1'], reasons: ['It reads like known prompt-injection and jailbreak attempts.'], at: new Date(0).toISOString() };

describe('a guard model as a second opinion on borderline scores', () => {
  it('asks only about scores close to the tenant threshold', () => {
    expect(isBorderline(0.4, 0.5, 0.2)).toBe(true);
    expect(isBorderline(0.65, 0.5, 0.2)).toBe(true);
    expect(isBorderline(0.25, 0.5, 0.2)).toBe(false);
    expect(isBorderline(0.9, 0.5, 0.2)).toBe(false);
    expect(isBorderline(0, 0.1, 0.2)).toBe(false);
  });

  it('reads Granite Guardian\'s Yes / No, and nothing else', () => {
    expect(readOpinion(' Yes')).toBe('risky');
    expect(readOpinion('No')).toBe('safe');
    expect(readOpinion('Maybe')).toBeNull();
    expect(readOpinion(undefined)).toBeNull();
  });

  it('blocks on "risky", allows on "safe", and leaves the layers\' decision without an answer', () => {
    expect(withOpinion(verdict, 'risky', 'granite3-guardian:2b')).toMatchObject({ decision: 'block', layer: 'opinion', rules: ['L4.ngram-linear.v1', 'L5.opinion.granite3-guardian:2b'] });
    expect(withOpinion({ ...verdict, decision: 'block', score: 0.6 }, 'safe', 'g')).toMatchObject({ decision: 'allow', score: 0.6 });
    expect(withOpinion(verdict, null, 'g')).toBe(verdict);
  });

  it('asks the engine with the risk as system message, and gives up on errors and timeouts', async () => {
    const opinion = new SecondOpinion({ url, model: 'granite3-guardian:2b', apiKey: 'k-1', margin: 0.2, timeoutMs: 200, risk: 'jailbreak' });
    expect(await opinion.ask('this is a jailbreak')).toBe('risky');
    expect(await opinion.ask('what is the weather')).toBe('safe');
    expect(await opinion.ask('boom')).toBeNull();
    const t0 = Date.now();
    expect(await opinion.ask('slow')).toBeNull();
    expect(Date.now() - t0).toBeLessThan(450);
    expect(seen[0]).toMatchObject({ path: '/v1/chat/completions', auth: 'Bearer k-1', model: 'granite3-guardian:2b', messages: [{ role: 'system', content: 'jailbreak' }, { role: 'user', content: 'this is a jailbreak' }] });
  });

  it('shows the model the end of long requests', () => {
    expect(opinionText(['a'.repeat(10), 'b'.repeat(10)], 12)).toBe(`${'a'.repeat(1)}\n\n${'b'.repeat(10)}`.slice(-12));
  });
});
