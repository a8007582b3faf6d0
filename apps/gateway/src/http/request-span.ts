import { SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import { startServerSpan } from '@llmaas/telemetry';
import { type FastifyInstance, type FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's server span and its context (API paths): the inference path runs inside it. */
    trace?: { span: Span; context: Context };
  }
}

/**
 * A server span per API request, child of the caller's `traceparent` when it sends one. The
 * inference routes run their work in its context, so the guard call, the usage event and the
 * billing ledger's record of it join the same trace.
 */
export function installRequestSpans(fastify: FastifyInstance, isTraced: (path: string) => boolean): void {
  fastify.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    const path = request.url.split('?', 1)[0] ?? request.url;
    if (isTraced(path)) {
      const route = request.routeOptions.url ?? path;
      request.trace = startServerSpan(`${request.method} ${route}`, request.headers, { 'http.request.method': request.method, 'http.route': route, 'url.path': path });
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = request.trace?.span;
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
  // A caller that leaves before the answer: its span still ends.
  fastify.addHook('onRequestAbort', (request, done) => {
    request.trace?.span.end();
    done();
  });
}
