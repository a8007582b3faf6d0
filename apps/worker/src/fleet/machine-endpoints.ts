import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { ApiError, fromZod } from '../http/api-error.js';
import { randomId, type RequestContext, sendJson } from '../http/context.js';
import { prometheusText } from '../http/metrics.js';
import { embeddings, rerankDocuments, transcriptions } from '../http/pooling.js';
import { faultsRequest } from '../http/requests.js';
import { chatCompletions, completions } from '../http/text-generation.js';
import { type SimMachine } from '../sim/sim-machine.js';

/** Audio arrives base64 in JSON: 32 MiB holds ~24 MiB of WAV, about 12 minutes of 16 kHz stereo. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

type Handler = (ctx: RequestContext, body: unknown) => Promise<void>;

const inference: Readonly<Record<string, Handler>> = {
  '/v1/chat/completions': chatCompletions,
  '/v1/completions': completions,
  '/v1/embeddings': embeddings,
  '/v1/rerank': rerankDocuments,
  '/v1/audio/transcriptions': transcriptions,
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, `request body over ${MAX_BODY_BYTES} bytes`, 'request_too_large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'the request body is not valid JSON', 'invalid_json');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'the request body must be a JSON object', 'invalid_json');
  return body;
}

async function route(ctx: RequestContext, method: string, path: string): Promise<void> {
  const { machine, res } = ctx;
  if (method === 'GET') {
    switch (path) {
      case '/healthz':
        return sendJson(res, 200, JSON.stringify({ status: 'ok', worker: machine.workerId }));
      case '/v1/models': {
        const data = machine.engine.readyModels().map(({ model, spec }) => ({ id: model, object: 'model', created: 0, owned_by: 'llmaas', max_model_len: spec.contextLength }));
        return sendJson(res, 200, JSON.stringify({ object: 'list', data }));
      }
      case '/metrics': {
        const text = prometheusText(machine.metrics());
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(text);
        return;
      }
      case '/sim/state':
        return sendJson(res, 200, JSON.stringify(machine.state()));
      default:
        break;
    }
  } else if (method === 'POST') {
    const handler = inference[path];
    if (handler) {
      const body = await readJson(ctx.req);
      if (!machine.acceptsWork()) throw new ApiError(503, `${machine.workerId} is draining or cordoned and takes no new requests`, 'worker_draining', null, 'service_unavailable');
      return handler(ctx, body);
    }
    if (path === '/sim/faults') {
      const parsed = faultsRequest.safeParse(await readJson(ctx.req));
      if (!parsed.success) throw fromZod(parsed.error);
      machine.faults.abortStreamsAfterTokens = parsed.data.abortStreamsAfterTokens;
      return sendJson(res, 200, JSON.stringify({ faults: machine.faults }));
    }
  }
  throw new ApiError(404, `no route ${method} ${path}`, 'not_found');
}

function fail(res: ServerResponse, error: unknown): void {
  const apiError = error instanceof ApiError ? error : new ApiError(500, 'The server had an error while processing your request.', 'internal_error');
  if (!res.headersSent) {
    sendJson(res, apiError.status, apiError.body());
  } else if (!res.destroyed) {
    // Already streaming: the error travels as an event, then the stream ends (COMPAT §2.3).
    res.end(`data: ${apiError.body()}\n\ndata: [DONE]\n\n`);
  }
}

/**
 * One machine's OpenAI-compatible endpoint on plain node:http: it sits on the benchmarked hot
 * path, so no framework, and chunks are written as the engine emits tokens.
 */
export function createMachineServer(machine: SimMachine, onInternalError?: (error: unknown) => void): Server {
  const server = createServer((req, res) => {
    const header = req.headers['x-request-id'];
    const requestId = (Array.isArray(header) ? header[0] : header) || `req_${randomId()}`;
    res.setHeader('x-request-id', requestId);
    res.setHeader('x-worker-id', machine.workerId);
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    route({ machine, req, res, requestId }, req.method ?? 'GET', path).catch((error: unknown) => {
      if (!(error instanceof ApiError)) onInternalError?.(error);
      fail(res, error);
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export async function listenMachineEndpoint(machine: SimMachine, host: string, port: number, onInternalError?: (error: unknown) => void): Promise<Server> {
  const server = createMachineServer(machine, onInternalError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
