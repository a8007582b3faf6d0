import { type z } from 'zod';

import { ApiError } from './api-error.js';

/** Validates client input at the edge: a 400 naming the first offending field, never a 500. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.join('.') : null;
  const message = issue ? `${param ? `${param}: ` : ''}${issue.message}` : 'invalid request';
  throw new ApiError(400, 'invalid_request_error', message, 'invalid_request', param);
}
