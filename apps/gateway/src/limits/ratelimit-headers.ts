/** OpenAI writes reset times as durations: "1s", "6m0s", "20ms". */
export function resetDuration(ms: number): string {
  const rounded = Math.max(0, Math.ceil(ms));
  if (rounded < 1000) return `${rounded}ms`;
  const seconds = Math.ceil(rounded / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

export interface WindowState {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** The `x-ratelimit-*` headers OpenAI sends (and its SDKs expose), for requests and tokens. */
export function rateLimitHeaders(requests: WindowState, tokens: WindowState): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(requests.limit),
    'x-ratelimit-remaining-requests': String(Math.max(0, requests.remaining)),
    'x-ratelimit-reset-requests': resetDuration(requests.resetMs),
    'x-ratelimit-limit-tokens': String(tokens.limit),
    'x-ratelimit-remaining-tokens': String(Math.max(0, tokens.remaining)),
    'x-ratelimit-reset-tokens': resetDuration(tokens.resetMs),
  };
}
