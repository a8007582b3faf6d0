import { SpanKind, context, propagation, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';

import { tracer } from './spans.js';

type IncomingHeaders = Record<string, string | string[] | undefined>;

const getter = {
  keys: (carrier: IncomingHeaders) => Object.keys(carrier),
  get: (carrier: IncomingHeaders, key: string) => {
    const value = carrier[key];
    return Array.isArray(value) ? value[0] : value;
  },
};

/**
 * A server span for an incoming HTTP request, child of the caller's `traceparent` if it sent one,
 * and the context to run the handler in. Ended by the caller when the response is sent.
 */
export function startServerSpan(name: string, headers: IncomingHeaders, attributes: Attributes = {}): { span: Span; context: Context } {
  const parent = propagation.extract(context.active(), headers, getter);
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  return { span, context: trace.setSpan(parent, span) };
}

/** Outgoing HTTP headers with the active (or given) trace context added. */
export function injectHttpHeaders(headers: Record<string, string>, from: Context = context.active()): Record<string, string> {
  propagation.inject(from, headers);
  return headers;
}

/** The W3C `traceparent` of a context, to carry with work done later (a buffered event). */
export function traceparentOf(from: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier.traceparent;
}
