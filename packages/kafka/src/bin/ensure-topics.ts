#!/usr/bin/env node
// Creates or aligns every topic of packages/contracts on the broker in KAFKA_BROKERS.
import { allTopicSpecs } from '@llmaas/contracts';
import { Kafka } from '../kafkajs-runtime.js';

import { ensureTopics } from '../ensure-topics.js';
import { kafkaClientConfig } from '../kafka-client-config.js';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) {
  console.error('missing required environment variable KAFKA_BROKERS (Kafka bootstrap servers, e.g. 127.0.0.1:19092)');
  process.exit(1);
}
const admin = new Kafka(kafkaClientConfig({ clientId: 'llmaas-topics', brokers: brokers.split(',') })).admin();
try {
  await admin.connect();
  const report = await ensureTopics(admin, allTopicSpecs());
  console.log(
    `topics: ${report.created.length} created, ${report.repartitioned.length} repartitioned, ` +
      `${report.reconfigured.length} reconfigured, ${report.unchanged.length} unchanged`,
  );
} catch (error) {
  console.error(`ensure-topics failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await admin.disconnect();
}
