import { HttpException } from '@nestjs/common';
import { RpcCallError } from '@llmaas/kafka';

import { ApiError, type ApiErrorType } from './api-error.js';

const typeByStatus: Record<number, ApiErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  409: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  422: 'invalid_request_error',
  429: 'rate_limit_error',
  503: 'service_unavailable',
};

/**
 * Turns whatever was thrown into the error the client sees. Unknown errors become a 500 with a
 * generic message: internals never leak, and the filter logs the real cause with the request id.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RpcCallError) {
    switch (error.code) {
      case 'invalid_request':
        return new ApiError(400, 'invalid_request_error', error.message, 'invalid_request', error.param);
      case 'not_found':
        return new ApiError(404, 'not_found_error', error.message, 'not_found', error.param);
      case 'forbidden':
        return new ApiError(403, 'permission_error', error.message, 'forbidden', error.param);
      case 'conflict':
        return new ApiError(409, 'invalid_request_error', error.message, 'conflict', error.param);
      case 'unavailable':
        // The SDKs retry on 503 and honour these headers.
        return new ApiError(503, 'service_unavailable', 'The service is temporarily unavailable; retry shortly.', 'service_unavailable', null, {
          'retry-after': '1',
          'x-should-retry': 'true',
        });
      case 'internal':
        return new ApiError(500, 'server_error', 'The server had an error while processing your request.', 'internal_error');
    }
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return new ApiError(status, typeByStatus[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'), error.message, null);
  }
  // Fastify's own errors (malformed JSON, body too large, wrong content type) carry a statusCode.
  const fastify = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const message = typeof fastify.message === 'string' ? fastify.message : 'invalid request';
    const code = typeof fastify.code === 'string' ? fastify.code.toLowerCase() : null;
    return new ApiError(status, typeByStatus[status] ?? 'invalid_request_error', message, code);
  }
  return new ApiError(500, 'server_error', 'The server had an error while processing your request.', 'internal_error');
}
