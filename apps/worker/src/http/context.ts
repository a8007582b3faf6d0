import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';

import { type ModelSpec } from '@llmaas/contracts';

import { EngineError, type SequenceJob } from '../sim/engine.js';
import { type SimMachine } from '../sim/sim-machine.js';
import { ApiError, type Endpoint, servesKind, wrongKind } from './api-error.js';

export interface RequestContext {
  readonly machine: SimMachine;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
}

export function randomId(): string {
  return randomBytes(12).toString('hex');
}

export function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The spec of a model ready on this machine and of a kind this endpoint serves, or a 404 / 400. */
export function requireModel(machine: SimMachine, model: string, endpoint: Endpoint): ModelSpec {
  const spec = machine.engine.ready(model);
  if (!spec) throw new ApiError(404, `model ${model} is not loaded on ${machine.workerId}`, 'model_not_loaded', 'model');
  if (!servesKind(endpoint, spec.kind)) throw wrongKind(model, spec.kind, endpoint);
  return spec;
}

/** OpenAI's wording for a prompt plus completion budget over the context window. */
export function checkContext(promptTokens: number, maxTokens: number | undefined, contextLength: number, param: string): void {
  if (promptTokens + (maxTokens ?? 0) <= contextLength) return;
  const asked = maxTokens === undefined ? `${promptTokens} tokens in the ${param}` : `${promptTokens + maxTokens} tokens (${promptTokens} in the ${param}, ${maxTokens} in the completion)`;
  throw new ApiError(400, `This model's maximum context length is ${contextLength} tokens. However, you requested ${asked}. Please reduce the length of the ${param} or completion.`, 'context_length_exceeded', param);
}

/**
 * Runs sequences on the machine's engine: resolves true once all are done, false when the client
 * went away first (its sequences are cancelled, freeing their batch slots and KV).
 */
export function runJobs(
  ctx: RequestContext,
  model: string,
  jobs: readonly SequenceJob[],
  onToken?: (job: number, index: number) => void,
  onDone?: (job: number) => void,
): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const handles: { cancel(): void }[] = [];
    let left = jobs.length;
    let settled = false;
    const onClose = () => {
      if (settled) return;
      settled = true;
      for (const h of handles) h.cancel();
      resolve(false);
    };
    if (ctx.req.socket.destroyed) {
      resolve(false);
      return;
    }
    ctx.res.on('close', onClose);
    try {
      for (const [j, job] of jobs.entries()) {
        handles.push(
          ctx.machine.engine.submit(model, job, {
            onToken: (i) => onToken?.(j, i),
            onDone: () => {
              if (settled) return;
              onDone?.(j);
              if (--left === 0) {
                settled = true;
                ctx.res.off('close', onClose);
                resolve(true);
              }
            },
          }),
        );
      }
    } catch (error) {
      settled = true;
      ctx.res.off('close', onClose);
      for (const h of handles) h.cancel();
      reject(error instanceof EngineError ? engineToApi(error, ctx.machine.workerId, model) : error instanceof Error ? error : new Error(String(error)));
    }
  });
}

function engineToApi(error: EngineError, workerId: string, model: string): ApiError {
  switch (error.code) {
    case 'model_not_loaded':
      return new ApiError(404, `model ${model} is not loaded on ${workerId}`, 'model_not_loaded', 'model');
    case 'kv_cache_exhausted':
      return new ApiError(400, error.message, 'kv_cache_exhausted', 'messages');
  }
}

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details: { readonly cached_tokens: number };
  readonly completion_tokens_details: { readonly reasoning_tokens: number };
}

export function usageOf(promptTokens: number, completionTokens: number, reasoningTokens: number): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoningTokens },
  };
}
