export { initTelemetry, type Telemetry, type TelemetryOptions } from './init-telemetry.js';
export { createLogger, type Logger } from './logger.js';
export { extractTraceContext, injectTraceHeaders, type KafkaHeaders } from './kafka-propagation.js';
export { tracer, withSpan } from './spans.js';
export { injectHttpHeaders, startServerSpan, traceparentOf } from './http-propagation.js';
