import { ApiFailure, failureFrom, networkFailure } from './api-error';

/**
 * The platform's own REST API, called with the signed-in key, exactly as any client would:
 * the console has no other way in.
 */
export class ApiClient {
  constructor(
    private readonly key: string,
    private readonly baseUrl = '',
  ) {}

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  /** Fetches a file with the key and hands it to the browser as a download. */
  async download(path: string, fallbackName: string): Promise<string> {
    const res = await this.send('GET', path);
    if (!res.ok) throw failureFrom(res.status, await res.text(), res.headers.get('x-request-id'));
    const name = filenameFrom(res.headers.get('content-disposition')) ?? fallbackName;
    const url = URL.createObjectURL(await res.blob());
    try {
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
    } finally {
      // The click has started the download; the object URL may go after this task.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
    return name;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    if (!res.ok) throw failureFrom(res.status, text, res.headers.get('x-request-id'));
    try {
      return (text ? JSON.parse(text) : null) as T;
    } catch {
      throw new ApiFailure(
        res.status,
        `The platform answered ${path} with something that is not JSON.`,
        null,
        res.headers.get('x-request-id'),
      );
    }
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.key}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw networkFailure(error);
    }
  }
}

/** `attachment; filename="F-2026-000001.pdf"` → `F-2026-000001.pdf`. */
export function filenameFrom(disposition: string | null): string | null {
  if (!disposition) return null;
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}
