import { Pool, type Dispatcher } from 'undici';

/** Keep-alive connection pools to the workers' HTTP endpoints, one per endpoint. */
export class WorkerClient {
  private readonly pools = new Map<string, Pool>();

  post(endpoint: string, path: string, body: string, requestId: string, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    let pool = this.pools.get(endpoint);
    if (!pool) {
      pool = new Pool(endpoint, { connections: 512, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
      this.pools.set(endpoint, pool);
    }
    return pool.request({ path, method: 'POST', body, headers: { 'content-type': 'application/json', 'x-request-id': requestId }, signal });
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }
}
