import { rerank } from '../sim/bm25.js';
import { embedText, embedTokenIds, NATIVE_DIMENSIONS, toBase64 } from '../sim/embeddings.js';
import { seedOf, transcript } from '../sim/text-gen.js';
import { countTokens, loadTokenizer } from '../sim/tokenizer.js';
import { parseWav } from '../sim/wav.js';
import { ApiError, fromZod } from './api-error.js';
import { checkContext, randomId, type RequestContext, requireModel, runJobs, sendJson } from './context.js';
import { embeddingRequest, rerankRequest, transcriptionRequest } from './requests.js';

/** Whisper-style encoders see 50 audio positions per second: the "prompt" a transcription costs. */
const AUDIO_TOKENS_PER_SECOND = 50;

export async function embeddings(ctx: RequestContext, body: unknown): Promise<void> {
  const parsed = embeddingRequest.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  const request = parsed.data;
  const spec = requireModel(ctx.machine, request.model, '/v1/embeddings');
  const dimensions = request.dimensions ?? NATIVE_DIMENSIONS;
  if (dimensions > NATIVE_DIMENSIONS) throw new ApiError(400, `dimensions must be at most ${NATIVE_DIMENSIONS} for ${request.model}`, 'invalid_value', 'dimensions');
  await loadTokenizer();
  const { input } = request;
  const items: (string | number[])[] = typeof input === 'string' ? [input] : input.every((i) => typeof i === 'number') ? [input] : input;
  const tokens = items.map((item) => (typeof item === 'string' ? countTokens(item) : item.length));
  for (const t of tokens) checkContext(t, undefined, spec.contextLength, 'input');
  const promptTokens = tokens.reduce((s, t) => s + t, 0);
  if (!(await runJobs(ctx, request.model, [{ promptTokens, outputTokens: 0 }]))) return;
  const base64 = request.encoding_format === 'base64';
  const data = items.map((item, index) => {
    const vector = typeof item === 'string' ? embedText(item, dimensions) : embedTokenIds(item, dimensions);
    return { object: 'embedding', index, embedding: base64 ? toBase64(vector) : Array.from(vector) };
  });
  sendJson(ctx.res, 200, JSON.stringify({ object: 'list', data, model: request.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }));
}

export async function rerankDocuments(ctx: RequestContext, body: unknown): Promise<void> {
  const parsed = rerankRequest.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  const request = parsed.data;
  requireModel(ctx.machine, request.model, '/v1/rerank');
  await loadTokenizer();
  const texts = request.documents.map((d) => (typeof d === 'string' ? d : d.text));
  // A cross-encoder reads the query once per document.
  const queryTokens = countTokens(request.query);
  const promptTokens = texts.reduce((s, t) => s + queryTokens + countTokens(t), 0);
  if (!(await runJobs(ctx, request.model, [{ promptTokens, outputTokens: 0 }]))) return;
  const returnDocuments = request.return_documents ?? true;
  const results = rerank(request.query, texts, request.top_n ?? undefined).map((r) => ({
    index: r.index,
    relevance_score: r.relevanceScore,
    ...(returnDocuments ? { document: { text: texts[r.index] } } : {}),
  }));
  sendJson(ctx.res, 200, JSON.stringify({ id: `rerank-${randomId()}`, model: request.model, object: 'list', results, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } }));
}

export async function transcriptions(ctx: RequestContext, body: unknown): Promise<void> {
  const parsed = transcriptionRequest.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error);
  const request = parsed.data;
  requireModel(ctx.machine, request.model, '/v1/audio/transcriptions');
  const audio = Buffer.from(request.audio_base64, 'base64');
  let duration: number;
  try {
    duration = parseWav(audio).durationSeconds;
  } catch (error) {
    throw new ApiError(400, `audio_base64 is not a valid WAV file: ${error instanceof Error ? error.message : String(error)}`, 'invalid_audio', 'file');
  }
  await loadTokenizer();
  const text = transcript(seedOf(request.model, request.audio_base64.length, request.audio_base64.slice(0, 4096)), duration);
  const job = { promptTokens: Math.ceil(duration * AUDIO_TOKENS_PER_SECOND), outputTokens: countTokens(text) };
  if (!(await runJobs(ctx, request.model, [job]))) return;
  sendJson(ctx.res, 200, JSON.stringify({ text, duration: Math.round(duration * 1000) / 1000, usage: { type: 'duration', seconds: Math.ceil(duration) } }));
}
