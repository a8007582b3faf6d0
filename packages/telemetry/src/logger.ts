import { trace } from '@opentelemetry/api';
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines on stdout, one object per event, with the active trace id on every line so a log
 * line leads to its trace. Credentials are redacted by configuration, not by discipline.
 */
export function createLogger(service: string, level: string, instance: string): Logger {
  return pino({
    level,
    base: { service, instance },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'authorization',
        '*.authorization',
        'headers.authorization',
        'req.headers.authorization',
        'apiKey',
        '*.apiKey',
        'secret',
        '*.secret',
        'password',
        '*.password',
        'DATABASE_URL',
        'REDIS_URL',
      ],
      censor: '[redacted]',
    },
    mixin() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
  });
}
