import { type TopicSpec } from '@llmaas/contracts';
import { ConfigResourceTypes, type Admin } from './kafkajs-runtime.js';

export interface EnsureTopicsReport {
  created: string[];
  repartitioned: string[];
  reconfigured: string[];
  unchanged: string[];
}

/**
 * Makes the broker's topics match the contracts: creates the missing ones, adds partitions
 * where the contract asks for more (Kafka cannot remove them) and aligns topic configs.
 * Idempotent: a second run reports everything unchanged.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<EnsureTopicsReport> {
  const report: EnsureTopicsReport = { created: [], repartitioned: [], reconfigured: [], unchanged: [] };
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.name));
  if (missing.length > 0) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor: 1,
        configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
      })),
    });
    report.created.push(...missing.map((spec) => spec.name));
  }

  const present = specs.filter((spec) => existing.has(spec.name));
  if (present.length === 0) return report;

  const metadata = await admin.fetchTopicMetadata({ topics: present.map((spec) => spec.name) });
  const partitionsOf = new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
  const grow = present.filter((spec) => (partitionsOf.get(spec.name) ?? 0) < spec.partitions);
  if (grow.length > 0) {
    await admin.createPartitions({ topicPartitions: grow.map((spec) => ({ topic: spec.name, count: spec.partitions })) });
    report.repartitioned.push(...grow.map((spec) => spec.name));
  }

  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.name, configNames: Object.keys(spec.config) })),
  });
  const drifted = present.filter((spec) => {
    const resource = described.resources.find((r) => r.resourceName === spec.name);
    return Object.entries(spec.config).some(([name, value]) => resource?.configEntries.find((e) => e.configName === name)?.configValue !== value);
  });
  if (drifted.length > 0) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: drifted.map((spec) => ({
        type: ConfigResourceTypes.TOPIC,
        name: spec.name,
        configEntries: Object.entries(spec.config).map(([name, value]) => ({ name, value })),
      })),
    });
    report.reconfigured.push(...drifted.map((spec) => spec.name));
  }
  const touched = new Set([...report.repartitioned, ...report.reconfigured]);
  report.unchanged.push(...present.filter((spec) => !touched.has(spec.name)).map((spec) => spec.name));
  return report;
}
