import { z } from 'zod';

const modelList = z.object({
  data: z.array(z.object({ id: z.string().min(1) }).loose()),
});

/**
 * The model ids an OpenAI-compatible server serves, from its GET /v1/models answer. vLLM also
 * lists LoRA adapters here; they are served models like the base one.
 */
export function servedModelIds(body: unknown): string[] {
  const parsed = modelList.safeParse(body);
  if (!parsed.success) throw new Error(`/v1/models answer is not a model list: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return [...new Set(parsed.data.data.map((m) => m.id))];
}
