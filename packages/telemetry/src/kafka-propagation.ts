import { context, propagation, type Context } from '@opentelemetry/api';

/** Kafka message headers as kafkajs hands them over: values may be Buffers. */
export type KafkaHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

const getter = {
  keys: (carrier: KafkaHeaders) => Object.keys(carrier),
  get: (carrier: KafkaHeaders, key: string) => {
    const value = carrier[key];
    if (value === undefined) return undefined;
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** Writes the active trace context (W3C `traceparent`) into outgoing Kafka headers. */
export function injectTraceHeaders(headers: Record<string, string>, from: Context = context.active()): Record<string, string> {
  propagation.inject(from, headers);
  return headers;
}

/** The trace context a message carried, to run its handler as a child of the sender's span. */
export function extractTraceContext(headers: KafkaHeaders | undefined): Context {
  return propagation.extract(context.active(), headers ?? {}, getter);
}
