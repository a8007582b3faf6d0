import { describe, expect, it } from 'vitest';

import { batchRequestId, failureLine, httpErrorLine, successLine } from './output-lines.js';

describe('batchRequestId', () => {
  it('is batch_req_ and 24 lowercase hex chars, the same for the same batch and line', () => {
    const id = batchRequestId('batch_abc', 1);
    expect(id).toMatch(/^batch_req_[0-9a-f]{24}$/);
    expect(batchRequestId('batch_abc', 1)).toBe(id);
  });

  it('differs between lines and between batches, even when the concatenations collide', () => {
    const ids = new Set([batchRequestId('batch_abc', 1), batchRequestId('batch_abc', 2), batchRequestId('batch_abd', 1), batchRequestId('b1', 23), batchRequestId('b12', 3)]);
    expect(ids.size).toBe(5);
  });

  it('refuses a line number that is not a positive integer', () => {
    for (const line of [0, -1, 1.5, Number.NaN]) expect(() => batchRequestId('batch_abc', line)).toThrow(RangeError);
  });
});

describe('output lines', () => {
  const body = { id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hé\nllo' } }] };

  it('writes a success as OpenAI does, keys in order, one line', () => {
    const line = successLine('batch_req_1', 'task-1', 'req_1', 200, body);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toStrictEqual({ id: 'batch_req_1', custom_id: 'task-1', response: { status_code: 200, request_id: 'req_1', body }, error: null });
    expect(Object.keys(parsed)).toEqual(['id', 'custom_id', 'response', 'error']);
    expect(Object.keys(parsed.response as object)).toEqual(['status_code', 'request_id', 'body']);
  });

  it('writes an HTTP error with the endpoint’s error body', () => {
    const error = { error: { message: 'The model `x` does not exist.', type: 'invalid_request_error', param: null, code: 'model_not_found' } };
    const parsed: unknown = JSON.parse(httpErrorLine('batch_req_2', 'task-2', 'req_2', 404, error));
    expect(parsed).toStrictEqual({ id: 'batch_req_2', custom_id: 'task-2', response: { status_code: 404, request_id: 'req_2', body: error }, error: null });
  });

  it('keeps the body key when there is no body', () => {
    expect(JSON.parse(httpErrorLine('i', 'c', 'r', 502, undefined))).toStrictEqual({ id: 'i', custom_id: 'c', response: { status_code: 502, request_id: 'r', body: null }, error: null });
  });

  it('refuses a status that does not fit the kind of line', () => {
    expect(() => successLine('i', 'c', 'r', 400, {})).toThrow(RangeError);
    expect(() => httpErrorLine('i', 'c', 'r', 200, {})).toThrow(RangeError);
    expect(() => httpErrorLine('i', 'c', 'r', 399, {})).toThrow(RangeError);
  });

  it('writes a non-HTTP failure with a null response and the code and message', () => {
    const line = failureLine('batch_req_3', 'task-3', 'batch_expired', 'This request could not be executed before the completion window expired.');
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toStrictEqual({ id: 'batch_req_3', custom_id: 'task-3', response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } });
    expect(Object.keys(parsed)).toEqual(['id', 'custom_id', 'response', 'error']);
    expect(line.endsWith('}')).toBe(true);
  });
});
