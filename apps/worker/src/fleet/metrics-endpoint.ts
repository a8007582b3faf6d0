import { createServer, type Server } from 'node:http';

import { sendJson } from '../http/context.js';
import { prometheusText, type MachineMetrics } from '../http/metrics.js';

/**
 * The /metrics of a machine fronting a real server, on the port a simulated machine would have
 * (WORKER_BASE_PORT + n - 1): the agent is the machine's exporter, so Prometheus scrapes every
 * engine's machines alike. Inference goes to the server itself, never here.
 */
export async function listenMetricsEndpoint(host: string, port: number, workerId: string, read: () => MachineMetrics): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(prometheusText(read()));
    } else if (req.method === 'GET' && path === '/healthz') {
      sendJson(res, 200, JSON.stringify({ status: 'ok', worker: workerId }));
    } else {
      sendJson(res, 404, JSON.stringify({ error: { message: `no route ${req.method ?? 'GET'} ${path ?? '/'}: this port serves ${workerId}'s /metrics only`, type: 'invalid_request_error', param: null, code: 'not_found' } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
