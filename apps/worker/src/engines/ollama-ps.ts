import { z } from 'zod';

const MiB = 1024 * 1024;

const psAnswer = z.object({
  models: z
    .array(
      z
        .object({
          name: z.string().min(1),
          size_vram: z.number().nonnegative().default(0),
        })
        .loose(),
    )
    .nullable()
    .default([]),
});

export interface OllamaLoaded {
  readonly model: string;
  readonly vramMiB: number;
}

/** Models an Ollama server holds in memory, from its GET /api/ps answer; `size_vram` is bytes. */
export function ollamaLoadedModels(body: unknown): OllamaLoaded[] {
  const parsed = psAnswer.safeParse(body);
  if (!parsed.success) throw new Error(`/api/ps answer is not a model list: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return (parsed.data.models ?? []).map((m) => ({ model: m.name, vramMiB: Math.round(m.size_vram / MiB) }));
}
