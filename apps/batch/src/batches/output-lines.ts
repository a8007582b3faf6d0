/**
 * Lines of a batch's output and error files, in OpenAI's `BatchRequestOutput` shape. Keys are
 * written in OpenAI's order (id, custom_id, response, error) because some clients diff or
 * validate lines as text; vLLM's run-batch validates every line against this schema.
 */
import { createHash } from 'node:crypto';

/**
 * The id of one line's request: derived from the batch and the line, so a line that is retried
 * (after a crash or a redelivery) gets the same id — it is also the billing request id, and the
 * same id is billed once.
 */
export function batchRequestId(batchId: string, line: number): string {
  if (!Number.isSafeInteger(line) || line < 1) throw new RangeError(`line must be a positive integer, got ${line}`);
  // The separator keeps ("b1", 23) and ("b12", 3) apart.
  const digest = createHash('sha256').update(`${batchId}\n${line}`).digest('hex');
  return `batch_req_${digest.slice(0, 24)}`;
}

function responseLine(id: string, customId: string, requestId: string, statusCode: number, body: unknown): string {
  // `undefined` would drop the key from the JSON; the schema requires it.
  return JSON.stringify({ id, custom_id: customId, response: { status_code: statusCode, request_id: requestId, body: body ?? null }, error: null });
}

/** A request the endpoint answered with 2xx; goes to the output file. */
export function successLine(id: string, customId: string, requestId: string, statusCode: number, body: unknown): string {
  if (!Number.isInteger(statusCode) || statusCode < 200 || statusCode > 299) throw new RangeError(`a success line needs a 2xx status, got ${statusCode}`);
  return responseLine(id, customId, requestId, statusCode, body);
}

/** A request the endpoint answered with 4xx/5xx (body is its `{"error":{...}}`); goes to the error file. */
export function httpErrorLine(id: string, customId: string, requestId: string, statusCode: number, body: unknown): string {
  if (!Number.isInteger(statusCode) || statusCode < 400 || statusCode > 599) throw new RangeError(`an HTTP error line needs a 4xx/5xx status, got ${statusCode}`);
  return responseLine(id, customId, requestId, statusCode, body);
}

/** A request that failed without an HTTP answer (e.g. batch_expired, batch_cancelled, prompt_blocked). */
export function failureLine(id: string, customId: string, code: string, message: string): string {
  return JSON.stringify({ id, custom_id: customId, response: null, error: { code, message } });
}
