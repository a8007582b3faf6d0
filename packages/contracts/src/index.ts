export * from './auth-admin.js';
export * from './batch-admin.js';
export * from './billing-admin.js';
export * from './catalog-admin.js';
export * from './define.js';
export * from './errors.js';
export * from './messages.js';
export * from './model-endpoints.js';
export * from './primitives.js';
export * from './rpc.js';
export * from './topics.js';

import { replyTopicOf } from './define.js';
import { rpc } from './rpc.js';
import { topics } from './topics.js';

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly config: Record<string, string>;
}

/** Every topic the broker must have, with its configuration: events, RPC requests and replies. */
export function allTopicSpecs(): TopicSpec[] {
  const specs: TopicSpec[] = Object.values(topics).map((topic): TopicSpec => ({
    name: topic.name,
    partitions: topic.partitions,
    config: topic.compacted
      ? { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0', 'segment.ms': String(3_600_000) }
      : { 'cleanup.policy': 'delete', 'retention.ms': String(topic.retentionMs ?? 7 * 86_400_000) },
  }));
  for (const op of Object.values(rpc)) {
    // Requests and replies are worthless after their timeout: keep them an hour for debugging.
    const config = { 'cleanup.policy': 'delete', 'retention.ms': String(3_600_000) };
    specs.push({ name: op.pattern, partitions: op.partitions, config: op.maxMessageBytes ? { ...config, 'max.message.bytes': String(op.maxMessageBytes) } : config });
    specs.push({ name: replyTopicOf(op.pattern), partitions: 3, config });
  }
  return specs;
}
