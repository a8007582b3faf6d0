import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';

import { initTelemetry } from './init-telemetry.js';
import { extractTraceContext, injectTraceHeaders } from './kafka-propagation.js';
import { withSpan } from './spans.js';

const exporter = new InMemorySpanExporter();
await initTelemetry({ service: 'test', instance: 'i1', version: '0', spanProcessors: [new SimpleSpanProcessor({ exporter })] });

describe('trace context over Kafka headers', () => {
  it('carries the trace id from producer span to consumer span', async () => {
    let headers: Record<string, string> = {};
    const producerTrace = await withSpan('produce', {}, () => {
      headers = injectTraceHeaders({});
      return Promise.resolve(trace.getActiveSpan()?.spanContext().traceId);
    });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // As kafkajs delivers them: Buffers.
    const delivered = { traceparent: Buffer.from(headers.traceparent ?? '') };
    const consumerTrace = await withSpan('consume', { parent: extractTraceContext(delivered) }, () =>
      Promise.resolve(trace.getActiveSpan()?.spanContext().traceId),
    );
    expect(consumerTrace).toBe(producerTrace);
    const consume = exporter.getFinishedSpans().find((s) => s.name === 'consume');
    expect(consume?.parentSpanContext?.traceId).toBe(producerTrace);
  });

  it('starts a fresh trace when no header came', () => {
    const ctx = extractTraceContext(undefined);
    expect(trace.getSpan(ctx)).toBeUndefined();
    expect(context.active()).toBeDefined();
  });

  it('marks a span as failed when its work throws', async () => {
    await expect(withSpan('fails', {}, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const span = exporter.getFinishedSpans().find((s) => s.name === 'fails');
    expect(span?.status.message).toBe('boom');
  });
});
