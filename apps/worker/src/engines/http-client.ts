/** The polls are short so a dead server is noticed within one heartbeat or two. */
export const POLL_TIMEOUT_MS = 2000;

async function send(url: string, init: RequestInit, timeoutMs: number, cancel?: AbortSignal): Promise<Response> {
  let response: Response;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, { ...init, signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout });
  } catch (error) {
    // fetch hides the reason (refused, timed out) in `cause`; the log line needs it.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const reason = error instanceof Error && error.name === 'TimeoutError' && timeout.aborted ? `no answer within ${timeoutMs} ms` : `${error instanceof Error ? error.message : String(error)}${cause}`;
    throw new Error(`${init.method ?? 'GET'} ${url}: ${reason}`);
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).slice(0, 200);
    throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status}${body ? ` ${body}` : ''}`);
  }
  return response;
}

export async function getText(url: string, timeoutMs = POLL_TIMEOUT_MS): Promise<string> {
  return (await send(url, {}, timeoutMs)).text();
}

export async function getJson(url: string, timeoutMs = POLL_TIMEOUT_MS): Promise<unknown> {
  return (await send(url, { headers: { accept: 'application/json' } }, timeoutMs)).json();
}

export async function postJson(url: string, body: unknown, timeoutMs: number, cancel?: AbortSignal): Promise<unknown> {
  const response = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, timeoutMs, cancel);
  const text = await response.text();
  // Ollama streams NDJSON when asked nothing else; the last line is the final status.
  const last = text.trim().split('\n').pop() ?? '';
  return last ? (JSON.parse(last) as unknown) : {};
}
