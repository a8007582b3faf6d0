import { createServer, type Server } from 'node:http';

import { initTelemetry, type Telemetry } from '@llmaas/telemetry';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLIENT_CLOSED, errorTypeOf, InferenceMetrics, workerErrorType } from './inference-metrics.js';

// The names Prometheus sees come from the OTel exporter (suffixes, units): read them from the real
// exporter's text, the way the alert rules and the dashboard will.
let telemetry: Telemetry;
let server: Server;
let url: string;

beforeAll(async () => {
  telemetry = await initTelemetry({ service: 'gateway-test', instance: 'gateway-test-1', version: '0' });
  server = createServer((req, res) => telemetry.handleMetricsRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/metrics`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await telemetry.shutdown();
});

const request = (tenantId: string | null) => ({ principal: tenantId ? { tenantId } : undefined }) as unknown as FastifyRequest;
const reply = (elapsedMs: number) => ({ elapsedTime: elapsedMs }) as FastifyReply;

describe('gateway inference metrics', () => {
  it('exposes the contract names and labels: requests, duration, TTFT, tokens, errors, rejections', async () => {
    const metrics = new InferenceMetrics();
    for (let i = 0; i < 3; i++) metrics.answered(request('t1'), reply(1200), '/v1/chat/completions', 'm1', 200);
    const refused = request('t1');
    refused.errorType = 'insufficient_quota';
    metrics.answered(refused, reply(3), '/v1/chat/completions', 'm1', 429);
    metrics.answered(refused, reply(3), '/v1/chat/completions', 'm1', 429);
    metrics.answered(request(null), reply(1), '/v1/chat/completions', 'unknown', 401);
    metrics.answered(request('t1'), reply(50), '/v1/chat/completions', 'm1', CLIENT_CLOSED);
    metrics.firstTokenAfter('m1', 0.3);
    metrics.used('m1', 't1', 12, 0);
    metrics.rejected('t1', 'tokens');

    const text = await (await fetch(url)).text();
    expect(text).toContain('# TYPE llmaas_requests_total counter');
    expect(text).toContain('llmaas_requests_total{endpoint="/v1/chat/completions",model="m1",tenant="t1",status="200"} 3');
    // Counted once, however many times its end is reported.
    expect(text).toContain('llmaas_requests_total{endpoint="/v1/chat/completions",model="m1",tenant="t1",status="429"} 1');
    expect(text).toContain('llmaas_requests_total{endpoint="/v1/chat/completions",model="unknown",tenant="none",status="401"} 1');
    expect(text).toContain('llmaas_requests_total{endpoint="/v1/chat/completions",model="m1",tenant="t1",status="499"} 1');
    expect(text).toContain('# TYPE llmaas_request_duration_seconds histogram');
    expect(text).toContain('llmaas_request_duration_seconds_count{endpoint="/v1/chat/completions",model="m1"} 5');
    expect(text).toContain('llmaas_request_duration_seconds_bucket{endpoint="/v1/chat/completions",model="m1",le="0.005"} 1');
    expect(text).toContain('llmaas_request_duration_seconds_bucket{endpoint="/v1/chat/completions",model="m1",le="1.5"} 5');
    expect(text).toContain('llmaas_request_duration_seconds_bucket{endpoint="/v1/chat/completions",model="m1",le="120"} 5');
    expect(text).toContain('llmaas_time_to_first_token_seconds_count{model="m1"} 1');
    expect(text).toContain('llmaas_tokens_total{model="m1",tenant="t1",kind="input"} 12');
    expect(text).not.toContain('kind="output"');
    expect(text).toContain('llmaas_request_errors_total{endpoint="/v1/chat/completions",model="m1",type="insufficient_quota"} 1');
    expect(text).toContain('llmaas_request_errors_total{endpoint="/v1/chat/completions",model="unknown",type="authentication_error"} 1');
    // A caller who left is no error of ours.
    expect(text.split('\n').filter((line) => line.startsWith('llmaas_request_errors_total{'))).toHaveLength(2);
    expect(text).toContain('llmaas_rate_limit_rejections_total{tenant="t1",limit="tokens"} 1');
    // No unit suffix, no doubled _total.
    expect(text).not.toMatch(/_total_total|_seconds_seconds/);
  });

  it('types errors the code did not type by their status, and a worker refusal by its body', () => {
    expect(errorTypeOf(200)).toBeNull();
    expect(errorTypeOf(CLIENT_CLOSED)).toBeNull();
    expect(errorTypeOf(400)).toBe('invalid_request_error');
    expect(errorTypeOf(404)).toBe('invalid_request_error');
    expect(errorTypeOf(401)).toBe('authentication_error');
    expect(errorTypeOf(403)).toBe('permission_error');
    expect(errorTypeOf(429)).toBe('rate_limit_error');
    expect(errorTypeOf(503)).toBe('service_unavailable');
    expect(errorTypeOf(502)).toBe('server_error');
    expect(workerErrorType('{"error":{"type":"invalid_request_error","message":"context too long"}}', 400)).toBe('invalid_request_error');
    expect(workerErrorType('{"error":{"type":"made_up_by_the_worker"}}', 422)).toBe('invalid_request_error');
    expect(workerErrorType('not json', 413)).toBe('invalid_request_error');
    expect(workerErrorType('{"error":{"type":"invalid_request_error"}}', 500)).toBe('server_error');
  });
});
