import { guardVerdict, type GuardCheckRequest, type GuardVerdict } from '@llmaas/contracts';

export { promptTexts } from '@llmaas/contracts';
import { injectHttpHeaders } from '@llmaas/telemetry';
import { Pool } from 'undici';

import { ApiError } from '../http/api-error.js';

export type GuardOutcome = { verdict: GuardVerdict } | { error: unknown };

/**
 * `guard.check` over HTTP to the prompt-guard service (decision 0007: a Kafka request/reply would
 * cost more than the whole budget of the hot path). Never rejects, so it runs beside assignment
 * and prefill and is awaited last; a timeout or a refusal is an `error` outcome.
 */
export class GuardClient {
  private readonly pool: Pool;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.pool = new Pool(url, { connections: 256, keepAliveTimeout: 30_000 });
  }

  async check(request: GuardCheckRequest): Promise<GuardOutcome> {
    try {
      const res = await this.pool.request({
        path: '/v1/guard/check',
        method: 'POST',
        headers: injectHttpHeaders({ 'content-type': 'application/json', 'x-request-id': request.requestId }),
        body: JSON.stringify(request),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await res.body.text();
      if (res.statusCode !== 200) return { error: new Error(`guard answered ${res.statusCode}: ${text.slice(0, 200)}`) };
      return { verdict: guardVerdict.parse(JSON.parse(text)) };
    } catch (error) {
      return { error };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * What a verdict means for the response: null to go on; a 400 naming the reason (not the rule
 * internals) for a block; a 503 when the guard could not answer and the gateway fails closed.
 */
export function guardRefusal(outcome: GuardOutcome, failOpen: boolean): ApiError | null {
  if ('verdict' in outcome) {
    if (outcome.verdict.decision === 'allow') return null;
    const reason = outcome.verdict.reasons[0] ?? 'it looks like a prompt-injection attempt.';
    return new ApiError(400, 'invalid_request_error', `The prompt was blocked by the prompt guard: ${reason}`, 'prompt_blocked', 'messages', { 'x-should-retry': 'false' });
  }
  if (failOpen) return null;
  return new ApiError(503, 'service_unavailable', 'The prompt guard is unavailable; retry shortly.', 'guard_unavailable', null, { 'retry-after': '1' });
}
