// Kafka request/reply round trip between two services, through the same code the gateway uses
// (Nest ClientKafka + RpcClient → scheduler's RpcHandler → reply), at concurrency 1 and 64.
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { rpc } from '@llmaas/contracts';
import { KafkaModule, RpcClient } from '@llmaas/kafka';
import { Kafka } from '@llmaas/kafka';

import { percentiles, round } from './lib/stats.js';
import { table } from './lib/report.js';

const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
const CALLS = Number(process.env.BENCH_RPC_CALLS ?? 10_000);

async function produceFloor(): Promise<Record<string, number>> {
  // The floor under any Kafka round trip: one acknowledged produce (acks=all) on this broker.
  const producer = new Kafka({ clientId: 'bench-floor', brokers, logLevel: 1 }).producer();
  await producer.connect();
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    await producer.send({ topic: 'scheduler.status.reply', acks: -1, messages: [{ value: 'x' }] });
    samples.push(performance.now() - t0);
  }
  await producer.disconnect();
  return percentiles(samples.slice(200), [50, 99]);
}

async function run(client: RpcClient, calls: number, concurrency: number) {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls) {
        next++;
        const t0 = performance.now();
        await client.call(rpc.schedulerStatus, { from: 'gateway' });
        samples.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { stats: percentiles(samples, [50, 90, 99, 99.9]), max: round(Math.max(...samples)), perSecond: Math.round(calls / seconds) };
}

export async function benchKafkaRpc(): Promise<string> {
  const app = await NestFactory.createApplicationContext(
    KafkaModule.forRoot({ connection: { clientId: 'bench', brokers }, replyGroupId: `bench-${process.pid}-replies`, calls: [rpc.schedulerStatus] }),
    { logger: ['error'] },
  );
  await app.init();
  const client = app.get(RpcClient);
  // Wait until the reply consumer has joined and the scheduler answers.
  for (let i = 0; ; i++) {
    try {
      await client.call(rpc.schedulerStatus, { from: 'gateway' }, { timeoutMs: 2000 });
      break;
    } catch (error) {
      if (i > 30) throw error;
    }
  }
  await run(client, 500, 8); // warm-up: JIT, connections, fetch sessions
  const rows = [];
  for (const concurrency of [1, 64]) {
    const r = await run(client, CALLS, concurrency);
    console.log(`concurrency ${concurrency}:`, r);
    const { p50, p90, p99 } = r.stats;
    rows.push([concurrency, CALLS, p50 ?? NaN, p90 ?? NaN, p99 ?? NaN, r.stats['p99.9'] ?? NaN, r.max, r.perSecond]);
  }
  await app.close();
  const floor = await produceFloor();
  const floorP50 = floor.p50 ?? NaN;
  const floorP99 = floor.p99 ?? NaN;
  return [
    'Kafka request/reply, gateway-side `RpcClient` → `scheduler.status` handler → reply (ms). Target at concurrency 1: p50 ≤ 3, p99 ≤ 15.',
    '',
    table(['concurrency', 'calls', 'p50', 'p90', 'p99', 'p99.9', 'max', 'calls/s'], rows),
    '',
    `Floor: one acknowledged produce (acks=all) on the same broker: p50 ${floorP50} ms, p99 ${floorP99} ms. A round trip is two produces and two fetches.`,
  ].join('\n');
}
