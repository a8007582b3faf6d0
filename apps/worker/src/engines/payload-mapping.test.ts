import { describe, expect, it } from 'vitest';

import { ollamaLoadedModels } from './ollama-ps.js';
import { servedModelIds } from './openai-models.js';

describe('servedModelIds (GET /v1/models)', () => {
  it('lists the ids of a vLLM answer, LoRA adapters included', () => {
    const body = {
      object: 'list',
      data: [
        { id: 'meta-llama/Llama-3.1-8B-Instruct', object: 'model', created: 1712345678, owned_by: 'vllm', root: 'meta-llama/Llama-3.1-8B-Instruct', parent: null, max_model_len: 8192 },
        { id: 'sql-lora', object: 'model', created: 1712345678, owned_by: 'vllm', root: '/adapters/sql', parent: 'meta-llama/Llama-3.1-8B-Instruct' },
      ],
    };
    expect(servedModelIds(body)).toEqual(['meta-llama/Llama-3.1-8B-Instruct', 'sql-lora']);
  });

  it('takes an empty list and rejects what is not a model list', () => {
    expect(servedModelIds({ object: 'list', data: [] })).toEqual([]);
    expect(() => servedModelIds({ error: 'nope' })).toThrow(/not a model list/);
    expect(() => servedModelIds({ data: [{ object: 'model' }] })).toThrow(/not a model list/);
  });
});

describe('ollamaLoadedModels (GET /api/ps)', () => {
  it('maps names and size_vram bytes to MiB', () => {
    const body = {
      models: [
        {
          name: 'qwen3:0.6b',
          model: 'qwen3:0.6b',
          size: 1_048_576_000,
          digest: '7df6b6e09427a769808717c0a93cadc4ae99ed4eb8bf5ca557c90846becea435',
          details: { parent_model: '', format: 'gguf', family: 'qwen3', families: ['qwen3'], parameter_size: '751.63M', quantization_level: 'Q4_K_M' },
          expires_at: '2025-06-01T12:00:00.000000000Z',
          size_vram: 943_718_400,
          context_length: 4096,
        },
        { name: 'llama3.2:3b', model: 'llama3.2:3b', size: 3_000_000_000, size_vram: 0 },
      ],
    };
    expect(ollamaLoadedModels(body)).toEqual([
      { model: 'qwen3:0.6b', vramMiB: 900 },
      { model: 'llama3.2:3b', vramMiB: 0 },
    ]);
  });

  it('reads an idle server (no models, or models null) and rejects garbage', () => {
    expect(ollamaLoadedModels({ models: [] })).toEqual([]);
    expect(ollamaLoadedModels({ models: null })).toEqual([]);
    expect(() => ollamaLoadedModels({ models: [{ size_vram: 1 }] })).toThrow(/not a model list/);
  });
});
