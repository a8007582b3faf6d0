import { type TopicDefinition } from '@llmaas/contracts';
import { injectTraceHeaders } from '@llmaas/telemetry';

export const SCHEMA_VERSION_HEADER = 'x-schema-version';
const UNKEYED = '_none';

export interface EncodedMessage {
  key: string;
  value: unknown;
  headers: Record<string, string>;
}

/**
 * Validates an outgoing event against its topic's schema and frames it: key from the topic's key
 * field (ordering per tenant / worker / request), schema version and trace context in headers.
 * A message that does not fit its schema is a bug in the sender, so it throws here rather than
 * reaching a consumer.
 */
export function encodeMessage<T extends TopicDefinition>(topic: T, message: unknown, traceparent?: string): EncodedMessage {
  const value = topic.schema.parse(message) as Record<string, unknown>;
  // A nullable key field (an audit event with no tenant) still needs a key so that such events
  // stay ordered among themselves: they share one.
  const key = value[topic.keyField] ?? UNKEYED;
  if (typeof key !== 'string' || key.length === 0) {
    throw new Error(`message for ${topic.name} has no key in field ${topic.keyField}`);
  }
  // An event buffered and sent later carries the trace of the request it describes, not the flush's.
  const headers = traceparent ? { [SCHEMA_VERSION_HEADER]: String(topic.version), traceparent } : injectTraceHeaders({ [SCHEMA_VERSION_HEADER]: String(topic.version) });
  return { key, value, headers };
}

export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  if (raw === undefined || raw === null) return undefined;
  const first: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (Buffer.isBuffer(first)) return first.toString();
  return typeof first === 'string' ? first : undefined;
}
