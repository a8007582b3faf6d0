import { type z } from 'zod';

/**
 * A topic and the one schema its messages follow. `version` is the schema version carried in
 * every message's `x-schema-version` header: a consumer rejects (dead-letters) a version it does
 * not know instead of misreading it.
 */
export interface TopicDefinition<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly version: number;
  readonly partitions: number;
  /** A compacted topic is a shared table: the latest value per key wins, a null value deletes. */
  readonly compacted: boolean;
  /** Retention for non-compacted topics; compacted topics keep the latest value forever. */
  readonly retentionMs?: number;
  /** Which field of the message is its Kafka key (ordering holds per key). */
  readonly keyField: string;
  readonly schema: S;
}

/** A request/reply operation; its request topic is `pattern`, its reply topic `pattern.reply`. */
export interface RpcDefinition<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly pattern: string;
  readonly version: number;
  /** Partitions of the request topic: the answering service consumes them concurrently. */
  readonly partitions: number;
  readonly request: Req;
  readonly response: Res;
  /** How long a caller waits for the answer before failing (ms). */
  readonly timeoutMs: number;
  /** Requests larger than the broker's default 1 MB message (whole prompts): the request topic's limit. */
  readonly maxMessageBytes?: number;
}

export function defineTopic<S extends z.ZodType>(def: TopicDefinition<S>): TopicDefinition<S> {
  return Object.freeze(def);
}

export function defineRpc<Req extends z.ZodType, Res extends z.ZodType>(
  def: RpcDefinition<Req, Res>,
): RpcDefinition<Req, Res> {
  return Object.freeze(def);
}

export type MessageOf<T> = T extends TopicDefinition<infer S> ? z.infer<S> : never;
export type RequestOf<T> = T extends RpcDefinition<infer Req, z.ZodType> ? z.infer<Req> : never;
export type ResponseOf<T> = T extends RpcDefinition<z.ZodType, infer Res> ? z.infer<Res> : never;

export const replyTopicOf = (pattern: string): string => `${pattern}.reply`;
