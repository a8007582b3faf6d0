import { type CatalogModel } from './messages.js';

/** The endpoint that serves each kind of the catalog. */
export const endpointForKind = {
  chat: '/v1/chat/completions',
  'chat-vision': '/v1/chat/completions',
  ocr: '/v1/chat/completions',
  guard: '/v1/chat/completions',
  translation: '/v1/chat/completions',
  embedding: '/v1/embeddings',
  rerank: '/v1/rerank',
  'audio-transcription': '/v1/audio/transcriptions',
  'image-generation': '/v1/images/generations',
} as const;

/** Kinds that also answer the legacy text completion endpoint (plain text generation). */
export const completionKinds: ReadonlySet<string> = new Set(['chat', 'translation', 'guard']);
/** Kinds that read images in chat messages. */
export const visionKinds: ReadonlySet<string> = new Set(['chat-vision', 'ocr']);

/** Whether a model of this kind answers this endpoint. */
export function kindServes(kind: keyof typeof endpointForKind, endpoint: string): boolean {
  return endpointForKind[kind] === endpoint || (endpoint === '/v1/completions' && completionKinds.has(kind));
}

/** Every user-controlled text of a chat or completion request (message contents, prompts): what the prompt guard reads. */
export function promptTexts(body: Record<string, unknown>): string[] {
  const texts: string[] = [];
  if (Array.isArray(body.messages)) {
    for (const m of body.messages as { content?: unknown }[]) {
      if (typeof m.content === 'string') texts.push(m.content);
      else if (Array.isArray(m.content)) for (const p of m.content as { type?: unknown; text?: unknown }[]) if (p.type === 'text' && typeof p.text === 'string') texts.push(p.text);
    }
  }
  if (typeof body.prompt === 'string') texts.push(body.prompt);
  else if (Array.isArray(body.prompt)) for (const p of body.prompt as unknown[]) if (typeof p === 'string') texts.push(p);
  return texts.filter((t) => t.length > 0);
}

/** What decides whether a tenant sees a model: its beta opt-in and the operators' re-enables. */
export interface ModelViewer {
  tenantId: string;
  betaOptIn: boolean;
}

/**
 * Whether the model exists for this tenant: evaluation and experimental models only after a beta
 * opt-in; a removed model only where an operator re-enabled it for the tenant.
 */
export function visibleTo(model: CatalogModel, viewer: ModelViewer): boolean {
  if (model.phase === 'removed') return model.enabledTenants.includes(viewer.tenantId);
  if (model.phase === 'evaluation' || model.stability === 'experimental') return viewer.betaOptIn;
  return true;
}
