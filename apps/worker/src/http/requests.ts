import { z } from 'zod';

/**
 * Request bodies the machine accepts, per COMPAT.md. Unknown fields are accepted and ignored
 * (zod strips them); known ones are type-checked so a wrong type is a 400, never a 500.
 */

const int = z.number().int();
const stop = z.union([z.string(), z.array(z.string()).max(4)]).nullish();
const streamOptions = z.object({ include_usage: z.boolean().nullish() }).nullish();

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart).min(1), z.null()]).optional(),
  name: z.string().optional(),
  tool_calls: z.array(z.unknown()).nullish(),
});

const jsonSchema = z.record(z.string(), z.unknown());

const tool = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), description: z.string().nullish(), parameters: jsonSchema.nullish() }),
});

const sampling = {
  model: z.string().min(1),
  stream: z.boolean().nullish(),
  stream_options: streamOptions,
  n: int.min(1).max(128).nullish(),
  stop,
  seed: int.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  /** vLLM extensions: a floor under the natural stop, and no natural stop at all. */
  min_tokens: int.min(0).nullish(),
  ignore_eos: z.boolean().nullish(),
};

export const chatRequest = z.object({
  ...sampling,
  messages: z.array(message).min(1),
  max_tokens: int.min(1).nullish(),
  max_completion_tokens: int.min(1).nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('text') }),
      z.object({ type: z.literal('json_object') }),
      z.object({ type: z.literal('json_schema'), json_schema: z.object({ name: z.string().min(1).max(64), schema: jsonSchema.nullish(), strict: z.boolean().nullish() }) }),
    ])
    .nullish(),
  tools: z.array(tool).nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })]).nullish(),
});
export type ChatRequest = z.infer<typeof chatRequest>;

const tokenIds = z.array(int.min(0)).min(1);

export const completionRequest = z.object({
  ...sampling,
  prompt: z.union([z.string(), z.array(z.string()).min(1), tokenIds, z.array(tokenIds).min(1)]),
  /** OpenAI's default for the legacy endpoint. */
  max_tokens: int.min(1).nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequest>;

export const embeddingRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(2048), tokenIds, z.array(tokenIds).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: int.min(1).nullish(),
});
export type EmbeddingRequest = z.infer<typeof embeddingRequest>;

export const rerankRequest = z.object({
  model: z.string().min(1),
  query: z.string().min(1),
  documents: z.array(z.union([z.string(), z.object({ text: z.string() })])).min(1),
  top_n: int.min(0).nullish(),
  return_documents: z.boolean().nullish(),
});
export type RerankRequest = z.infer<typeof rerankRequest>;

export const transcriptionRequest = z.object({
  model: z.string().min(1),
  audio_base64: z.string().min(1),
  format: z.literal('wav').nullish(),
  language: z.string().nullish(),
  prompt: z.string().nullish(),
});
export type TranscriptionRequest = z.infer<typeof transcriptionRequest>;

export const faultsRequest = z.object({ abortStreamsAfterTokens: int.min(0).nullable() });
