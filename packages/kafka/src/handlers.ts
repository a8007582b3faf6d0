import { Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { SpanKind } from '@opentelemetry/api';
import { topics, type RpcDefinition, type RpcErrorCode, type TopicDefinition } from '@llmaas/contracts';
import { extractTraceContext, withSpan } from '@llmaas/telemetry';
import { z } from 'zod';

import { SCHEMA_VERSION_HEADER, encodeMessage, headerValue } from './message-codec.js';

/** Thrown by an RPC handler to answer with a typed error instead of a result. */
export class RpcFailure extends Error {
  constructor(
    readonly code: Exclude<RpcErrorCode, 'internal'>,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}

const logger = new Logger('kafka');
let consumerName = 'unknown';

/** Names this process in dead-letter records (set once at boot by the service kit). */
export function setConsumerName(name: string): void {
  consumerName = name;
}

type Handler = (this: unknown, payload: unknown, context: KafkaContext) => unknown;

function firstPath(error: z.ZodError): string | null {
  const path = error.issues[0]?.path;
  return path && path.length > 0 ? path.join('.') : null;
}

/**
 * Marks a controller method as the answer to one RPC of the contracts. The method receives the
 * validated request; whatever it returns is checked against the contract's response. Errors never
 * escape as exceptions (which would make kafkajs redeliver the request): they become an error
 * envelope the caller maps to an HTTP status.
 */
export function RpcHandler(def: RpcDefinition): MethodDecorator {
  return (target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as Handler;
    descriptor.value = async function (this: unknown, payload: unknown, context: KafkaContext) {
      const parent = extractTraceContext(context.getMessage().headers);
      return withSpan(`rpc.handle ${def.pattern}`, { kind: SpanKind.SERVER, parent }, async () => {
        const request = def.request.safeParse(payload);
        if (!request.success) {
          return { ok: false, error: { code: 'invalid_request', message: z.prettifyError(request.error), param: firstPath(request.error) } };
        }
        try {
          const result = await original.call(this, request.data, context);
          return { ok: true, data: def.response.parse(result) };
        } catch (error) {
          if (error instanceof RpcFailure) return { ok: false, error: { code: error.code, message: error.message, param: error.param } };
          logger.error({ msg: `handler for ${def.pattern} failed`, err: error instanceof Error ? error.stack : String(error) });
          return { ok: false, error: { code: 'internal', message: `${def.pattern} failed`, param: null } };
        }
      });
    };
    MessagePattern(def.pattern)(target, key, descriptor);
    bindArguments(target, key);
  };
}

/**
 * Marks a controller method as the consumer of one event topic. A message that fails its schema
 * (or carries a schema version this build does not know) goes to the dead-letter topic with the
 * reason, and consumption goes on. Any other error propagates, so kafkajs retries the message:
 * a transient failure (database down) delays the event, it does not drop it.
 */
export function EventHandler(topic: TopicDefinition): MethodDecorator {
  return (target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as Handler;
    descriptor.value = async function (this: unknown, payload: unknown, context: KafkaContext) {
      const message = context.getMessage();
      const parent = extractTraceContext(message.headers);
      return withSpan(`consume ${topic.name}`, { kind: SpanKind.CONSUMER, parent }, async () => {
        const version = headerValue(message.headers, SCHEMA_VERSION_HEADER);
        if (version !== undefined && Number(version) > topic.version) {
          return deadLetter(context, `schema version ${version} is newer than ${topic.version}`);
        }
        const parsed = topic.schema.safeParse(payload);
        if (!parsed.success) return deadLetter(context, z.prettifyError(parsed.error));
        return original.call(this, parsed.data, context);
      });
    };
    EventPattern(topic.name)(target, key, descriptor);
    bindArguments(target, key);
  };
}

/** Nest passes a handler the arguments its parameter decorators ask for: the payload and the Kafka context. */
function bindArguments(target: object, key: string | symbol): void {
  Payload()(target, key, 0);
  Ctx()(target, key, 1);
}

async function deadLetter(context: KafkaContext, reason: string): Promise<void> {
  const message = context.getMessage();
  const topic = context.getTopic();
  logger.warn({ msg: 'dead-lettered a message', topic, offset: message.offset, reason });
  const raw = (message as { value: unknown }).value;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(typeof raw === 'string' ? raw : JSON.stringify(raw ?? null));
  const record = encodeMessage(topics.deadLetters, {
    topic,
    partition: context.getPartition(),
    offset: message.offset,
    consumer: consumerName,
    reason,
    payloadBase64: bytes.toString('base64'),
    at: new Date().toISOString(),
  });
  await context.getProducer().send({
    topic: topics.deadLetters.name,
    messages: [{ key: record.key, value: JSON.stringify(record.value), headers: record.headers }],
  });
}
