import { z } from 'zod';

// Permissive on purpose (COMPAT.md §1.1): unknown fields are accepted and passed on; what we do
// check is what would otherwise reach a worker malformed or produce a 500.
const stop = z.union([z.string(), z.array(z.string()).min(1).max(4)]).nullable().optional();
// JSON numbers past 2^63 cannot be an int64 seed; doubles near the bound are checked by magnitude.
const int64 = z.number().int().refine((n) => Math.abs(n) < 2 ** 63, 'must fit in a signed 64-bit integer');
const sampling = {
  max_tokens: z.number().int().positive().nullable().optional(),
  max_completion_tokens: z.number().int().positive().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  n: z.number().int().min(1).max(128).nullable().optional(),
  seed: int64.nullable().optional(),
  stop,
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  presence_penalty: z.number().min(-2).max(2).nullable().optional(),
  frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
};

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.looseObject({ type: z.literal('image_url'), image_url: z.looseObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }) });
const otherPart = z.looseObject({ type: z.enum(['input_audio', 'file', 'refusal']) });
const content = z.union([z.string(), z.array(z.union([textPart, imagePart, otherPart])).min(1)]);

export const chatMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: content.nullable().optional(),
});

const functionName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a function name: letters, digits, _ and -, at most 64');

export const chatRequest = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(chatMessage).min(1),
    ...sampling,
    logprobs: z.boolean().nullable().optional(),
    top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
    response_format: z
      .discriminatedUnion('type', [
        z.looseObject({ type: z.literal('text') }),
        z.looseObject({ type: z.literal('json_object') }),
        z.looseObject({ type: z.literal('json_schema'), json_schema: z.looseObject({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullable().optional() }) }),
      ])
      .optional(),
    tools: z.array(z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: functionName, parameters: z.record(z.string(), z.unknown()).optional() }) })).optional(),
  })
  .refine((r) => !r.stream_options || r.stream === true, { message: 'stream_options is only allowed with stream: true', path: ['stream_options'] })
  .refine((r) => r.top_logprobs === undefined || r.top_logprobs === null || r.logprobs === true, { message: 'logprobs must be true when top_logprobs is set', path: ['top_logprobs'] });
export type ChatRequest = z.infer<typeof chatRequest>;

const tokenIds = z.array(z.number().int().nonnegative()).min(1);
export const completionRequest = z
  .looseObject({
    model: z.string().min(1),
    prompt: z.union([z.string(), z.array(z.string()).min(1), tokenIds, z.array(tokenIds).min(1)]),
    ...sampling,
  })
  .refine((r) => !r.stream_options || r.stream === true, { message: 'stream_options is only allowed with stream: true', path: ['stream_options'] });

export const embeddingRequest = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string().min(1, 'input cannot be an empty string'), z.array(z.string().min(1)).min(1).max(2048), tokenIds, z.array(tokenIds).min(1).max(2048)]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().positive().optional(),
});

const document = z.union([z.string(), z.looseObject({ text: z.string() })]);
export const rerankRequest = z.looseObject({
  model: z.string().min(1),
  query: z.string().min(1),
  documents: z.array(document).min(1).max(10_000).optional(),
  texts: z.array(z.string()).min(1).max(10_000).optional(),
  top_n: z.number().int().nonnegative().nullable().optional(),
  return_documents: z.boolean().optional(),
}).refine((r) => r.documents !== undefined || r.texts !== undefined, { message: 'documents is required', path: ['documents'] });
export type RerankRequest = z.infer<typeof rerankRequest>;

/** A transcription as the gateway forwards it (the multipart form, read into JSON). */
export const transcriptionRequest = z.object({
  model: z.string().min(1),
  audio_base64: z.string().min(1),
  format: z.literal('wav'),
  language: z.string().min(2).max(10).optional(),
  prompt: z.string().max(10_000).optional(),
  response_format: z.enum(['json', 'text', 'verbose_json']).default('json'),
});
export type TranscriptionRequest = z.infer<typeof transcriptionRequest>;

export { completionKinds, endpointForKind, visionKinds } from '@llmaas/contracts';
