import { createServer, type Server } from 'node:http';

import { type SimMachine } from '../sim/sim-machine.js';

/**
 * Each simulated machine answers on its own port, as a real GPU machine would: liveness and the
 * OpenAI-style list of models it holds. Inference routes arrive with the engine simulator.
 */
export async function listenMachineEndpoint(machine: SimMachine, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('content-type', 'application/json');
    if (req.method === 'GET' && path === '/healthz') {
      res.end(JSON.stringify({ status: 'ok', worker: machine.workerId }));
    } else if (req.method === 'GET' && path === '/v1/models') {
      res.end(JSON.stringify({ object: 'list', data: [] }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { message: `no route ${req.method ?? ''} ${path ?? ''}`, type: 'invalid_request_error', param: null, code: 'not_found' } }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
