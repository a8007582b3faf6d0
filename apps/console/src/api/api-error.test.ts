import { describe, expect, it } from 'vitest';

import { filenameFrom } from './api-client';
import { describeError, failureFrom, networkFailure } from './api-error';

describe('API errors in words', () => {
  it("uses the platform's message and adds what to do next", () => {
    const f = failureFrom(
      401,
      JSON.stringify({
        error: {
          message: 'This API key has been revoked.',
          type: 'authentication_error',
          param: null,
          code: 'api_key_revoked',
        },
      }),
      'req_1',
    );
    expect(f.status).toBe(401);
    expect(f.code).toBe('api_key_revoked');
    expect(describeError(f)).toBe(
      'This API key has been revoked. Ask an administrator of your organisation for a new key. (request req_1)',
    );
  });
  it('words a status whose body is not an OpenAI error', () => {
    expect(failureFrom(502, '<html>Bad gateway</html>', null).message).toMatch(
      /platform had an error \(HTTP 502\)/,
    );
    expect(failureFrom(403, '', null).message).toBe('This API key may not do this.');
  });
  it('says when the platform cannot be reached', () => {
    expect(networkFailure(new TypeError('Failed to fetch')).message).toBe(
      'The platform could not be reached (Failed to fetch). Check your connection and try again.',
    );
  });
  it('reads the file name of a download', () => {
    expect(filenameFrom('attachment; filename="F-2026-000001.pdf"')).toBe('F-2026-000001.pdf');
    expect(filenameFrom(null)).toBeNull();
  });
});
