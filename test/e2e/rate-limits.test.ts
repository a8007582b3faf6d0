import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { api, createKey, createTenant, uniqueId } from '../support/admin.js';
import { collectFrom } from '../support/kafka.js';
import { smallestServed } from '../support/models.js';
import { eventually, gatewayUrl, kafkaBrokers, repoRoot } from '../support/platform.js';

// Rate limits per tenant, shared by every gateway replica (Redis), with OpenAI's headers and a
// retry-after that the official SDK honours. A second gateway runs beside the platform's.
const secondPort = 8088;
const secondUrl = `http://127.0.0.1:${secondPort}`;
let second: ChildProcess;
let model: string;

function secrets(): Record<string, string> {
  const text = readFileSync(join(repoRoot, '.data', 'secrets.env'), 'utf8');
  return Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

beforeAll(async () => {
  model = await smallestServed('chat', (m) => !m.reasoning);
  second = spawn(process.execPath, [join(repoRoot, 'apps', 'gateway', 'dist', 'main.js')], {
    cwd: join(repoRoot, 'apps', 'gateway'),
    env: { ...process.env, KAFKA_BROKERS: kafkaBrokers.join(','), REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:16379', ...secrets(), HTTP_PORT: String(secondPort), LOG_LEVEL: 'warn' },
    // Its log beside the platform's, for when this test fails.
    stdio: ['ignore', openSync(join(repoRoot, '.data', 'logs', 'gateway-2.log'), 'a'), openSync(join(repoRoot, '.data', 'logs', 'gateway-2.log'), 'a')],
  });
  const ready = await eventually(() => (second.exitCode !== null ? Promise.resolve(-1) : fetch(`${secondUrl}/readyz`).then((r) => r.status, () => 0)), (s) => s === 200 || s === -1, 90_000, 500);
  if (ready !== 200) throw new Error('the second gateway did not start: see .data/logs/gateway-2.log');
}, 120_000);

afterAll(() => {
  second?.kill('SIGTERM');
});

describe('rate limits across gateway replicas', () => {
  it('counts one tenant\'s requests on every gateway, answers 429 with OpenAI\'s headers, and the SDK waits retry-after', async () => {
    const tier = uniqueId('tiny').slice(0, 40);
    const put = await api('PUT', `/admin/v1/billing/tiers/${tier}`, { body: { requests_per_minute: 4, tokens_per_minute: 1_000_000, concurrent_requests: 8, monthly_budget_eur: null, hard_cap: false } });
    expect(put.status).toBe(200);
    let tenant = '';
    // The tenant's quota reaches the gateways on `billing.quotas` once billing sees the tenant.
    await collectFrom(
      'billing.quotas',
      (v) => ((v as { tenantId: string; limits: { requestsPerMinute: number } }).tenantId === tenant && (v as { limits: { requestsPerMinute: number } }).limits.requestsPerMinute === 4 ? true : undefined),
      (found) => found.length > 0,
      { timeoutMs: 30_000, act: async () => void (tenant = await createTenant(uniqueId('limited'), { tier })) },
    );
    const key = (await createKey(tenant, 'developer')).secret;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ask = (base: string, i: number) =>
      fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: `Rate limit probe ${i} ${Date.now()}` }], max_tokens: 2 }) });

    const answers = [];
    for (const [i, base] of [gatewayUrl, secondUrl, gatewayUrl, secondUrl].entries()) answers.push(await ask(base, i));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(answers[0]!.headers.get('x-ratelimit-limit-requests')).toBe('4');
    expect(answers.map((r) => Number(r.headers.get('x-ratelimit-remaining-requests')))).toEqual([3, 2, 1, 0]);
    expect(answers[0]!.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(ms|s)$|^\d+m\d+s$/);

    // The fifth, on either gateway: 429 with OpenAI's error and headers.
    for (const base of [gatewayUrl, secondUrl]) {
      const refused = await ask(base, 9);
      expect(refused.status).toBe(429);
      const body = (await refused.json()) as { error: { type: string; code: string; message: string } };
      expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
      expect(body.error.message).toContain('requests per min');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    }

    // The official SDK retries a 429 after retry-after, and gets through once the minute turns.
    const client = new OpenAI({ baseURL: `${secondUrl}/v1`, apiKey: key, maxRetries: 3, timeout: 120_000 });
    const started = Date.now();
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'After the wait' }], max_tokens: 2 }).withResponse();
    expect(data.choices).toHaveLength(1);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('4');
    expect(Date.now() - started).toBeGreaterThan(1000);
  }, 180_000);
});
