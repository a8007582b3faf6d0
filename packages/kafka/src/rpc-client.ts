import { Inject, Injectable } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { SpanKind } from '@opentelemetry/api';
import { rpcError, type RequestOf, type ResponseOf, type RpcDefinition, type RpcErrorCode } from '@llmaas/contracts';
import { injectTraceHeaders, withSpan } from '@llmaas/telemetry';
import { TimeoutError, firstValueFrom, timeout } from 'rxjs';
import { z } from 'zod';

import { KAFKA_CLIENT } from './kafka.tokens.js';
import { SCHEMA_VERSION_HEADER } from './message-codec.js';

/** An RPC that answered with an error, or did not answer. `code` maps to an HTTP status at the edge. */
export class RpcCallError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'RpcCallError';
  }
}

const envelope = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: rpcError }),
]);

/** Request/reply over Kafka with typed, validated requests and answers. */
@Injectable()
export class RpcClient {
  constructor(@Inject(KAFKA_CLIENT) private readonly client: ClientKafka) {}

  async call<D extends RpcDefinition>(def: D, request: RequestOf<D>, options: { timeoutMs?: number } = {}): Promise<ResponseOf<D>> {
    const value: unknown = def.request.parse(request);
    const waitMs = options.timeoutMs ?? def.timeoutMs;
    return withSpan(`rpc ${def.pattern}`, { kind: SpanKind.CLIENT, attributes: { 'messaging.destination.name': def.pattern } }, async () => {
      const headers = injectTraceHeaders({ [SCHEMA_VERSION_HEADER]: String(def.version) });
      let raw: unknown;
      try {
        raw = await firstValueFrom(this.client.send(def.pattern, { value, headers }).pipe(timeout(waitMs)));
      } catch (error) {
        if (error instanceof TimeoutError) throw new RpcCallError('unavailable', `${def.pattern} did not answer within ${waitMs} ms`);
        const message = error instanceof Error ? error.message : JSON.stringify(error);
        throw new RpcCallError('unavailable', `${def.pattern} failed: ${message}`);
      }
      const answer = envelope.safeParse(raw);
      if (!answer.success) throw new RpcCallError('internal', `${def.pattern} answered with a malformed envelope`);
      if (!answer.data.ok) throw new RpcCallError(answer.data.error.code, answer.data.error.message, answer.data.error.param);
      const data = def.response.safeParse(answer.data.data);
      if (!data.success) throw new RpcCallError('internal', `${def.pattern} answered outside its contract: ${z.prettifyError(data.error)}`);
      return data.data as ResponseOf<D>;
    });
  }
}
