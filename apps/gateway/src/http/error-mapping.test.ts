import { BadRequestException, NotFoundException } from '@nestjs/common';
import { RpcCallError } from '@llmaas/kafka';
import { describe, expect, it } from 'vitest';

import { ApiError } from './api-error.js';
import { toApiError } from './error-mapping.js';

describe('toApiError', () => {
  it('keeps an ApiError as it is', () => {
    const error = new ApiError(401, 'authentication_error', 'bad key', 'invalid_api_key');
    expect(toApiError(error)).toBe(error);
    expect(error.toBody()).toEqual({ error: { message: 'bad key', type: 'authentication_error', param: null, code: 'invalid_api_key' } });
  });

  it('maps RPC errors to statuses, and an unanswered RPC to a retryable 503', () => {
    expect(toApiError(new RpcCallError('invalid_request', 'bad', 'name')).status).toBe(400);
    expect(toApiError(new RpcCallError('not_found', 'no')).status).toBe(404);
    const unavailable = toApiError(new RpcCallError('unavailable', 'auth.status did not answer within 3000 ms'));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers['retry-after']).toBe('1');
    expect(unavailable.message).not.toContain('auth.status');
  });

  it('maps Fastify client errors and Nest exceptions', () => {
    const malformed = Object.assign(new Error('Body is not valid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(toApiError(malformed)).toMatchObject({ status: 400, type: 'invalid_request_error', code: 'fst_err_ctp_invalid_json_body' });
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    expect(toApiError(tooLarge).status).toBe(413);
    expect(toApiError(new NotFoundException('Cannot GET /nope')).type).toBe('not_found_error');
    expect(toApiError(new BadRequestException('x')).status).toBe(400);
  });

  it('hides unknown errors behind a generic 500', () => {
    const error = toApiError(new TypeError('cannot read x of undefined'));
    expect(error.status).toBe(500);
    expect(error.message).not.toContain('undefined');
  });
});
