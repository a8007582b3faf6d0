// The prompt guard's cost: analysis in process on one core (4,000-character prompts, layers 1, 2
// and 4, then with layer 3 reading a window of two earlier prompts), and the `guard.check` round
// trip to the running service, over HTTP (the gateway's hot path) and as a Kafka RPC.
import 'reflect-metadata';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NestFactory } from '@nestjs/core';
import { rpc, type GuardCheckRequest } from '@llmaas/contracts';
import { KafkaModule, RpcClient } from '@llmaas/kafka';
import { Pool } from 'undici';

import { analyse, judge } from '../apps/prompt-guard/dist/guard/verdict.js';
import { behaviourFindings } from '../apps/prompt-guard/dist/layers/behaviour.js';
import { repoRoot, table } from './lib/report.js';
import { percentiles, round } from './lib/stats.js';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const guardUrl = process.env.GUARD_URL ?? 'http://127.0.0.1:9102';

/** Prompts of `size` characters cut from the labelled sets (attacks and benign, all languages). */
function prompts(size: number, count: number): string[] {
  const rows = readFileSync(join(repoRoot, '..', 'shared', 'guard', 'train.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const out: string[] = [];
  let i = 0;
  while (out.length < count) {
    let text = '';
    while (text.length < size) text += `${rows[i++ % rows.length]}\n`;
    out.push(text.slice(0, size));
  }
  return out;
}

function inProcess(): (string | number)[][] {
  const texts = prompts(4000, 3000);
  const request = (text: string, i: number): GuardCheckRequest => ({ requestId: `b${i}`, tenantId: 'bench', keyId: 'bench', threshold: 0.5, texts: [text] });
  for (let i = 0; i < 300; i++) judge(request(texts[i]!, i));
  const single: number[] = [];
  const windowed: number[] = [];
  for (let i = 300; i < texts.length; i++) {
    let t0 = performance.now();
    judge(request(texts[i]!, i));
    single.push(performance.now() - t0);
    t0 = performance.now();
    judge(request(texts[i]!, i), behaviourFindings(texts[i]!, { recent: [texts[i - 1]!, texts[i - 2]!], repeats: 1 }, analyse));
    windowed.push(performance.now() - t0);
  }
  const row = (name: string, s: number[]) => {
    const p = percentiles(s, [50, 99, 99.9]);
    return [name, s.length, p.p50!, p.p99!, p['p99.9']!, round(Math.max(...s))];
  };
  return [row('layers 1, 2, 4 on one 4,000-character prompt', single), row('the same, plus layer 3 over a window of two earlier 4,000-character prompts', windowed)];
}

async function overHttp(texts: string[], concurrency: number) {
  const pool = new Pool(guardUrl, { connections: concurrency });
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < texts.length) {
        const i = next++;
        const body: GuardCheckRequest = { requestId: `h${i}`, tenantId: 'bench', keyId: `bench-${worker}`, threshold: 0.5, texts: [texts[i]!] };
        const t0 = performance.now();
        const res = await pool.request({ path: '/v1/guard/check', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        await res.body.text();
        samples.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`guard answered ${res.statusCode}`);
      }
    }),
  );
  await pool.close();
  return { samples: samples.slice(Math.min(200, samples.length / 10)), perSecond: Math.round(texts.length / ((performance.now() - started) / 1000)) };
}

async function overKafka(texts: string[]) {
  const app = await NestFactory.createApplicationContext(
    KafkaModule.forRoot({ connection: { clientId: 'bench-guard', brokers }, replyGroupId: `bench-guard-${process.pid}-replies`, calls: [rpc.guardCheck] }),
    { logger: ['error'] },
  );
  await app.init();
  const client = app.get(RpcClient);
  const call = (i: number) => client.call(rpc.guardCheck, { requestId: `k${i}`, tenantId: 'bench', keyId: 'bench-kafka', threshold: 0.5, texts: [texts[i % texts.length]!] }, { timeoutMs: 5000 });
  for (let i = 0; ; i++) {
    try {
      await call(i);
      break;
    } catch (error) {
      if (i > 30) throw error;
    }
  }
  const samples: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const t0 = performance.now();
    await call(i);
    samples.push(performance.now() - t0);
  }
  await app.close();
  return samples.slice(100);
}

export async function benchGuard(): Promise<string> {
  const local = inProcess();
  const short = prompts(1000, 6000);
  const long = prompts(4000, 3000);
  const rows: (string | number)[][] = [];
  for (const [name, texts, concurrency] of [
    ['HTTP, 1,000-character prompts', short, 1],
    ['HTTP, 1,000-character prompts', short, 16],
    ['HTTP, 4,000-character prompts', long, 1],
    ['HTTP, 4,000-character prompts', long, 16],
  ] as const) {
    const { samples, perSecond } = await overHttp([...texts], concurrency);
    const p = percentiles(samples, [50, 99]);
    rows.push([name, concurrency, p.p50!, p.p99!, perSecond]);
  }
  const kafka = percentiles(await overKafka(short), [50, 99]);
  rows.push(['Kafka RPC, 1,000-character prompts', 1, kafka.p50!, kafka.p99!, '—']);
  return [
    'Analysis in process, one core (prompts cut from ../shared/guard/train.jsonl, all languages; ms):',
    '',
    table(['what', 'prompts', 'p50', 'p99', 'p99.9', 'max'], local),
    '',
    '`guard.check` round trip to the running prompt-guard service (the verdict published on guard.verdicts, layer 3 in Redis included; each HTTP worker its own key; ms):',
    '',
    table(['how', 'concurrency', 'p50', 'p99', 'checks/s'], rows),
  ].join('\n');
}
