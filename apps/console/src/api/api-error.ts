/** The OpenAI error shape every platform endpoint answers with. */
export interface OpenAiErrorBody {
  error: { message: string; type: string | null; param: string | null; code: string | null };
}

/** A failed API call, worded for a person; the request id lets support find it in the logs. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

function isErrorBody(value: unknown): value is OpenAiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error: unknown = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/** What a status means when the body does not say (a proxy's HTML page, an empty 502). */
function statusInWords(status: number): string {
  if (status === 401) return 'The API key was not accepted.';
  if (status === 403) return 'This API key may not do this.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests: wait a moment and try again.';
  if (status === 503) return 'The service is unavailable right now; try again shortly.';
  if (status >= 500)
    return `The platform had an error (HTTP ${status}); try again, or tell your operator.`;
  return `The request was refused (HTTP ${status}).`;
}

/** A few codes deserve a hint on what to do next, beyond the platform's own message. */
const hints: Record<string, string> = {
  invalid_api_key: 'Check that the whole key was pasted.',
  api_key_revoked: 'Ask an administrator of your organisation for a new key.',
  api_key_expired: 'Use its successor, or ask for a new key.',
  insufficient_role: 'Sign in with a key that has the needed role.',
  too_many_invalid_keys: 'Wait a minute before trying another key.',
};

/** Turns an HTTP answer that is not a success into a sentence. */
export function failureFrom(
  status: number,
  bodyText: string,
  requestId: string | null,
): ApiFailure {
  let body: unknown = null;
  try {
    body = bodyText ? JSON.parse(bodyText) : null;
  } catch {
    body = null;
  }
  if (isErrorBody(body)) {
    const { message, code } = body.error;
    const hint = code !== null ? hints[code] : undefined;
    return new ApiFailure(
      status,
      hint && !message.includes(hint) ? `${message} ${hint}` : message,
      code,
      requestId,
    );
  }
  return new ApiFailure(status, statusInWords(status), null, requestId);
}

/** A network failure (gateway down, connection reset) has no status: say so plainly. */
export function networkFailure(error: unknown): ApiFailure {
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return new ApiFailure(
    0,
    `The platform could not be reached${detail}. Check your connection and try again.`,
  );
}

/** The words shown for anything thrown while talking to the API. */
export function describeError(error: unknown): string {
  if (error instanceof ApiFailure)
    return error.requestId ? `${error.message} (request ${error.requestId})` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
