import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type IncomingMessage, type ServerResponse } from 'node:http';

import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace';

export interface TelemetryOptions {
  readonly service: string;
  readonly instance: string;
  readonly version: string;
  /** OTLP/HTTP base URL (e.g. http://127.0.0.1:4318); without it spans are made but not exported. */
  readonly otlpEndpoint?: string | undefined;
  /**
   * Share of new traces recorded (0–1, default 1). A trace started elsewhere keeps its caller's
   * decision (parent-based), so one request is recorded in every service or in none.
   */
  readonly sampleRatio?: number;
  /** Extra span processors (tests use an in-memory exporter). */
  readonly spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  /** Serves the Prometheus text format on a plain Node request/response pair. */
  readonly handleMetricsRequest: (req: IncomingMessage, res: ServerResponse) => void;
  readonly shutdown: () => Promise<void>;
}

/**
 * One observability stack: OpenTelemetry for traces and metrics, metrics read by Prometheus
 * through the OTel Prometheus exporter. Instrumentation is explicit (HTTP edge, Kafka helpers)
 * rather than monkey-patched, so it does not depend on import order and costs no idle memory.
 */
export async function initTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  const resource = resourceFromAttributes({
    'service.name': options.service,
    'service.instance.id': options.instance,
    'service.version': options.version,
  });

  const spanProcessors: SpanProcessor[] = [...(options.spanProcessors ?? [])];
  if (options.otlpEndpoint) {
    // Loaded only when traces are exported: the exporter's protobuf stack costs memory otherwise.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    const url = new URL('/v1/traces', options.otlpEndpoint).toString();
    spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }) }));
  }
  const sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio ?? 1) });
  const tracerProvider = new TracerProvider({ resource, spanProcessors, sampler });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);

  const prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const meterProvider = new MeterProvider({ resource, readers: [prometheus] });
  metrics.setGlobalMeterProvider(meterProvider);
  registerProcessMetrics(options.service);

  return {
    handleMetricsRequest: (req, res) => prometheus.getMetricsRequestHandler(req, res),
    shutdown: async () => {
      await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

function registerProcessMetrics(service: string): void {
  const meter = metrics.getMeter('llmaas.process');
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const attributes = { service };
  meter
    .createObservableGauge('process_resident_memory_bytes', { description: 'Resident set size', unit: 'By' })
    .addCallback((result) => result.observe(process.memoryUsage.rss(), attributes));
  meter
    .createObservableGauge('nodejs_heap_used_bytes', { description: 'V8 heap in use', unit: 'By' })
    .addCallback((result) => result.observe(process.memoryUsage().heapUsed, attributes));
  meter
    .createObservableGauge('nodejs_eventloop_delay_p99_seconds', { description: 'Event loop delay, p99 since last scrape', unit: 's' })
    .addCallback((result) => {
      result.observe(loopDelay.percentile(99) / 1e9, attributes);
      loopDelay.reset();
    });
  meter
    .createObservableGauge('process_uptime_seconds', { description: 'Seconds since the process started', unit: 's' })
    .addCallback((result) => result.observe(process.uptime(), attributes));
}
