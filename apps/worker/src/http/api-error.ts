import { type ModelKind } from '@llmaas/contracts';
import { type z } from 'zod';

/** An OpenAI-shaped error with its HTTP status: `{"error":{message,type,param,code}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null,
    readonly param: string | null = null,
    readonly type: string = status >= 500 ? 'server_error' : 'invalid_request_error',
  ) {
    super(message);
  }

  body(): string {
    return JSON.stringify({ error: { message: this.message, type: this.type, param: this.param, code: this.code } });
  }
}

/** `messages[0].content`: how OpenAI names a nested parameter. */
export function paramPath(path: readonly PropertyKey[]): string | null {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || null;
}

export function fromZod(error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const param = issue ? paramPath(issue.path) : null;
  const message = issue ? `${param ?? 'body'}: ${issue.message}` : 'invalid request';
  return new ApiError(400, message, 'invalid_value', param);
}

export type Endpoint = '/v1/chat/completions' | '/v1/completions' | '/v1/embeddings' | '/v1/rerank' | '/v1/audio/transcriptions';

/** The endpoint that serves a kind of model; undefined where the sim serves it nowhere. */
export function endpointForKind(kind: ModelKind): Endpoint | undefined {
  switch (kind) {
    case 'chat':
    case 'chat-vision':
    case 'ocr':
    case 'guard':
    case 'translation':
      return '/v1/chat/completions';
    case 'embedding':
      return '/v1/embeddings';
    case 'rerank':
      return '/v1/rerank';
    case 'audio-transcription':
      return '/v1/audio/transcriptions';
    case 'image-generation':
      return undefined;
  }
}

/** Legacy completions are served by the same text models as chat. */
export function servesKind(endpoint: Endpoint, kind: ModelKind): boolean {
  const home = endpointForKind(kind);
  return home === endpoint || (endpoint === '/v1/completions' && home === '/v1/chat/completions');
}

export function wrongKind(model: string, kind: ModelKind, endpoint: Endpoint): ApiError {
  const home = endpointForKind(kind);
  const message = home
    ? `model ${model} is a ${kind} model: it is served by ${home}, not ${endpoint}`
    : `model ${model} is a ${kind} model, which the sim engine does not serve`;
  return new ApiError(400, message, 'wrong_model_kind', 'model');
}
