import { createServer } from 'node:http';

import { initTelemetry } from '@llmaas/telemetry';
import { describe, expect, it } from 'vitest';

import { ConsumerLagMonitor, lagByTopic } from './consumer-lag.js';
import { kafkaClientConfig } from './kafka-client-config.js';
import { Kafka, Partitioners } from './kafkajs-runtime.js';

describe('lagByTopic', () => {
  const ends = new Map([
    ['a', [{ partition: 0, high: '10' }, { partition: 1, high: '5' }, { partition: 2, high: '7' }]],
    ['b', [{ partition: 0, high: '3' }]],
  ]);

  it('sums high watermark − committed offset over the partitions of each topic', () => {
    const lags = lagByTopic([{ topic: 'a', partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: '5' }, { partition: 2, offset: '0' }] }], ends);
    expect([...lags]).toEqual([['a', 6 + 0 + 7]]);
  });

  it('leaves out partitions with nothing committed, topics with unknown ends, and never goes negative', () => {
    const lags = lagByTopic(
      [
        { topic: 'a', partitions: [{ partition: 0, offset: '-1' }, { partition: 1, offset: '2' }] },
        { topic: 'b', partitions: [{ partition: 0, offset: '9' }] },
        { topic: 'gone', partitions: [{ partition: 0, offset: '1' }] },
      ],
      ends,
    );
    expect([...lags]).toEqual([['a', 3], ['b', 0]]);
    expect(lagByTopic([{ topic: 'a', partitions: [{ partition: 0, offset: '-1' }] }], ends).size).toBe(0);
  });
});

// The monitor against the real broker of infra/: a fresh topic, a group with offsets committed
// part of the way, and the gauge as the Prometheus exporter writes it.
describe('ConsumerLagMonitor (real Kafka)', () => {
  it('reports the lag of a watched group per topic', async () => {
    const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
    const telemetry = await initTelemetry({ service: 'kafka-test', instance: 'kafka-test-1', version: '0' });
    const server = createServer((req, res) => telemetry.handleMetricsRequest(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/metrics`;

    const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const topic = `test.lag.${suffix}`;
    const group = `test-lag-${suffix}`;
    const kafka = new Kafka(kafkaClientConfig({ clientId: 'consumer-lag-test', brokers }));
    const admin = kafka.admin();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const monitor = new ConsumerLagMonitor();
    await admin.connect();
    await producer.connect();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
      await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ value: `m${i}`, partition: i % 2 })) });
      // 5 messages per partition; the group has read 2 of partition 0 and all of partition 1.
      await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '2' }, { partition: 1, offset: '5' }] });

      monitor.watch(group);
      monitor.start({ clientId: 'consumer-lag-test', brokers }, 60_000, 60_000);
      await monitor.poll();
      const text = await (await fetch(url)).text();
      expect(text).toContain('# TYPE llmaas_kafka_consumer_lag gauge');
      expect(text).toContain(`llmaas_kafka_consumer_lag{group="${group}",topic="${topic}"} 3`);

      // No longer read: a gap (NaN), not the last number again.
      monitor.unwatch(group);
      expect(await (await fetch(url)).text()).toContain(`llmaas_kafka_consumer_lag{group="${group}",topic="${topic}"} NaN`);
    } finally {
      await monitor.stop();
      await admin.deleteGroups([group]).catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await Promise.all([producer.disconnect(), admin.disconnect()]);
      await new Promise((resolve) => server.close(resolve));
      await telemetry.shutdown();
    }
    // A topic created on a broker busy with the whole suite's start can take seconds to have leaders.
  }, 30_000);
});
