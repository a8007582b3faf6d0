// Billing's costs: ledger ingestion sustained (usage events produced on `inference.usage`, counted
// once they are in the ledger), invoice generation for a tenant with one million usage records,
// and the rate-limit check the gateway makes on every request.
import { randomUUID } from 'node:crypto';

import { Kafka } from '@llmaas/kafka';
import { Redis } from 'ioredis';
import pg from 'pg';

import { RequestLimiter } from '../apps/gateway/dist/limits/request-limiter.js';
import { table } from './lib/report.js';
import { percentiles, round } from './lib/stats.js';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://llmaas:llmaas@127.0.0.1:15432/llmaas';
const gateway = process.env.OPENAI_BASE_URL?.replace(/\/v1$/, '') ?? 'http://127.0.0.1:8080';
const adminKey = process.env.LLMAAS_ADMIN_KEY ?? '';
const EVENTS = Number(process.env.BENCH_LEDGER_EVENTS ?? 1_000_000);

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${gateway}${path}`, { method, headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** One million September events for one tenant: 5 models, 10 keys, 30 days, chat with reasoning. */
function* events(tenantId: string, count: number) {
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 30)).padStart(2, '0');
    const at = `2026-09-${day}T12:00:00.000Z`;
    yield {
      requestId: `bench_${randomUUID().replaceAll('-', '')}`, tenantId, keyId: `key_${i % 10}`, model: `bench-model-${i % 5}`, kind: 'chat', mode: i % 7 === 0 ? 'batch' : 'interactive', status: 'completed',
      inputTokens: 100 + (i % 900), outputTokens: 20 + (i % 300), reasoningTokens: i % 3 === 0 ? 10 : 0, documents: 0, audioSeconds: 0, workerId: 'w1',
      startedAt: at, finishedAt: at, timeToFirstTokenMs: 12,
    };
  }
}

async function ledgerIngestion(tenantId: string, db: pg.Client) {
  const producer = new Kafka({ clientId: 'bench-billing', brokers, logLevel: 1 }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  // Record batches under the topic's 1 MB message limit, four sends in flight.
  let batch: { key: string; value: string }[] = [];
  let inFlight: Promise<unknown>[] = [];
  let produced = 0;
  for (const e of events(tenantId, EVENTS)) {
    batch.push({ key: tenantId, value: JSON.stringify(e) });
    if (batch.length === 1500) {
      inFlight.push(producer.send({ topic: 'inference.usage', messages: batch }));
      produced += batch.length;
      batch = [];
      if (inFlight.length === 4) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
  }
  if (batch.length) inFlight.push(producer.send({ topic: 'inference.usage', messages: batch }));
  produced += batch.length;
  await Promise.all(inFlight);
  const producedIn = (performance.now() - started) / 1000;
  await producer.disconnect();
  let count = 0;
  for (;;) {
    count = Number((await db.query<{ count: string }>('SELECT count(*) FROM billing.usage_records WHERE tenant_id = $1', [tenantId])).rows[0]?.count);
    if (count >= produced) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  return { produced, producedIn: round(producedIn, 1), seconds: round(seconds, 1), perSecond: Math.round(produced / seconds) };
}

async function rateLimitCheck() {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:16379');
  const limiter = new RequestLimiter(redis);
  const limits = { requestsPerMinute: 10_000_000, tokensPerMinute: 1_000_000_000, concurrentRequests: 1_000_000 };
  const run = async (concurrency: number, n: number) => {
    const samples: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          const i = next++;
          const t0 = performance.now();
          const outcome = await limiter.admit('bench-limits', limits, 500, `r${i}`);
          samples.push(performance.now() - t0);
          if ('admitted' in outcome) await limiter.settle(outcome.admitted, 400);
        }
      }),
    );
    return percentiles(samples.slice(500), [50, 99, 99.9]);
  };
  const one = await run(1, 5000);
  const many = await run(32, 20_000);
  await redis.quit();
  return { one, many };
}

export async function benchBilling(): Promise<string> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const tenantId = `bench-billing-${Date.now().toString(36)}`;
  await admin('POST', '/admin/v1/tenants', { id: tenantId, name: 'Billing benchmark', legal: { legalName: 'Bench SAS', addressLine: '1 rue du Banc', postalCode: '75001', city: 'Paris', country: 'FR', vatNumber: 'FR40303265045' } });
  // Billing learns the tenant (and its legal identity) from auth.tenants.
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const ingestion = await ledgerIngestion(tenantId, db);
  const aggregates = Number((await db.query<{ count: string }>('SELECT count(*) FROM billing.usage_aggregates WHERE tenant_id = $1', [tenantId])).rows[0]?.count);
  const t0 = performance.now();
  const closed = (await admin('POST', '/admin/v1/billing/periods/2026-09/close')) as { invoices: { tenantId: string; totalEur: string; lineCount: number }[] };
  const invoiceSeconds = round((performance.now() - t0) / 1000, 2);
  const invoice = closed.invoices.find((i) => i.tenantId === tenantId);
  const limits = await rateLimitCheck();
  await db.end();

  return [
    `Ledger ingestion: ${ingestion.produced.toLocaleString('en')} usage events produced on \`inference.usage\` (${ingestion.producedIn} s to produce), all in the ledger — priced, aggregated, the month's spend updated, exactly once — after ${ingestion.seconds} s: **${ingestion.perSecond.toLocaleString('en')} events/s** sustained (target ≥ 10,000).`,
    '',
    `Invoice generation for that tenant (${ingestion.produced.toLocaleString('en')} usage records, ${aggregates.toLocaleString('en')} daily aggregate rows): closing September took **${invoiceSeconds} s** (target ≤ 30 s), ${invoice ? `${invoice.lineCount} lines, total ${invoice.totalEur} € incl. VAT` : 'no invoice (see the billing log)'}, PDF and Factur-X rendered and stored.`,
    '',
    'Rate-limit check on the hot path (requests/min, tokens/min and concurrency, three Redis scripts in parallel, then settled), ms:',
    '',
    table(['concurrent callers', 'p50', 'p99', 'p99.9'], [[1, limits.one.p50!, limits.one.p99!, limits.one['p99.9']!], [32, limits.many.p50!, limits.many.p99!, limits.many['p99.9']!]]),
  ].join('\n');
}
