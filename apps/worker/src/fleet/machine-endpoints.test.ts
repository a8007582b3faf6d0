import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';

import { type FleetCommand, type ModelSpec } from '@llmaas/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fromBase64 } from '../sim/embeddings.js';
import { parseFleetSpec } from '../sim/fleet-spec.js';
import { SimMachine } from '../sim/sim-machine.js';
import { silentWav } from '../sim/wav.js';
import { listenMachineEndpoint } from './machine-endpoints.js';

const specs: Record<string, ModelSpec> = {
  chat: { kind: 'chat', paramsBillion: 8, contextLength: 8192, reasoning: false, vramMiB: 16_000 },
  reasoner: { kind: 'chat', paramsBillion: 8, contextLength: 8192, reasoning: true, vramMiB: 16_000 },
  tiny: { kind: 'chat', paramsBillion: 1, contextLength: 64, reasoning: false, vramMiB: 2_000 },
  embed: { kind: 'embedding', paramsBillion: 0.5, contextLength: 8192, reasoning: false, vramMiB: 1_200 },
  ranker: { kind: 'rerank', paramsBillion: 0.5, contextLength: 8192, reasoning: false, vramMiB: 1_200 },
  whisper: { kind: 'audio-transcription', paramsBillion: 1.5, contextLength: 448, reasoning: false, vramMiB: 3_000 },
  painter: { kind: 'image-generation', paramsBillion: 12, contextLength: 512, reasoning: false, vramMiB: 24_000 },
};

function load(machine: SimMachine, model: string, spec: ModelSpec): void {
  const outcome = machine.apply({ commandId: 'c', workerId: machine.workerId, action: 'load', model, spec, issuedAt: new Date().toISOString() });
  if (!outcome.applied) throw new Error(outcome.detail);
}

async function start(machine: SimMachine): Promise<{ server: Server; base: string }> {
  const server = await listenMachineEndpoint(machine, '127.0.0.1', 0);
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function until(cond: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

let machine: SimMachine;
let server: Server;
let base: string;

beforeAll(async () => {
  machine = new SimMachine('worker-7', 'http://127.0.0.1:9307', parseFleetSpec('2xH200-141GB')[0]!, { timeScale: 0, loadGBs: 2 });
  for (const [model, spec] of Object.entries(specs)) load(machine, model, spec);
  ({ server, base } = await start(machine));
  await until(() => machine.engine.readyModels().length === Object.keys(specs).length);
});

afterAll(async () => {
  machine.close();
  await new Promise((resolve) => server.close(resolve));
});

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}
interface ToolCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}
interface ChatResponse {
  id: string;
  object: string;
  model: string;
  choices: {
    index: number;
    finish_reason: string;
    logprobs: null;
    message: { role: string; content: string | null; refusal: null; reasoning_content?: string; tool_calls?: ToolCall[] };
  }[];
  usage: Usage;
}
interface ChunkChoice {
  index: number;
  finish_reason: string | null;
  text?: string;
  delta: { role?: string; content?: string; reasoning_content?: string; tool_calls?: { index: number; id?: string; type?: string; function: { name?: string; arguments: string } }[] };
}
interface Chunk {
  id: string;
  object: string;
  created: number;
  choices: ChunkChoice[];
  usage?: Usage;
}
interface CompletionResponse {
  id: string;
  object: string;
  choices: { index: number; text: string; finish_reason: string }[];
  usage: Usage;
}
interface EmbeddingResponse {
  object: string;
  data: { index: number; embedding: number[] | string }[];
  usage: { prompt_tokens: number; total_tokens: number };
}
interface RerankResponse {
  object: string;
  model: string;
  results: { index: number; relevance_score: number; document?: { text: string } }[];
  usage: { prompt_tokens: number; total_tokens: number };
}
interface MachineState {
  workerId: string;
  running: number;
  queueDepth: number;
  faults: { abortStreamsAfterTokens: number | null };
}

async function post<T = ChatResponse>(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as T, headers: res.headers };
}

const fail = (path: string, body: unknown) => post<ErrorBody>(path, body);

/** Reads an SSE body into its chunks, checking the framing and the final "[DONE]". */
async function sse(path: string, body: unknown): Promise<{ chunks: Chunk[]; headers: Headers }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  const raw = await res.text();
  expect(raw.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
  const frames = raw.split('\n\n').filter((f) => f.length > 0);
  for (const f of frames) expect(f.startsWith('data: ')).toBe(true);
  return { chunks: frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)) as Chunk), headers: res.headers };
}

async function state(): Promise<MachineState> {
  return (await (await fetch(`${base}/sim/state`)).json()) as MachineState;
}

const chat = (extra: Record<string, unknown> = {}) => ({ model: 'chat', messages: [{ role: 'user', content: 'Tell me about Kafka.' }], seed: 7, ...extra });

describe('machine endpoint basics', () => {
  it('answers health, models, and echoes or makes a request id', async () => {
    const health = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'req_abc' } });
    expect(health.headers.get('x-request-id')).toBe('req_abc');
    expect(health.headers.get('x-worker-id')).toBe('worker-7');
    const models = await fetch(`${base}/v1/models`);
    expect(models.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{24}$/);
    const list = (await models.json()) as { data: { id: string }[] };
    expect(list.data.map((m) => m.id).sort()).toEqual(Object.keys(specs).sort());
  });

  it('refuses unloaded models, wrong kinds and malformed bodies with OpenAI-shaped errors', async () => {
    const missing = await fail('/v1/chat/completions', chat({ model: 'nope' }));
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { message: 'model nope is not loaded on worker-7', type: 'invalid_request_error', param: 'model', code: 'model_not_loaded' } });
    const wrong = await fail('/v1/chat/completions', chat({ model: 'embed' }));
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ code: 'wrong_model_kind', param: 'model' });
    expect(wrong.json.error.message).toContain('/v1/embeddings');
    expect((await fail('/v1/embeddings', { model: 'ranker', input: 'x' })).json.error.message).toContain('/v1/rerank');
    expect((await fail('/v1/rerank', { model: 'chat', query: 'x', documents: ['y'] })).json.error.message).toContain('/v1/chat/completions');
    const painter = await fail('/v1/chat/completions', chat({ model: 'painter' }));
    expect(painter.status).toBe(400);
    expect(painter.json.error.message).toMatch(/does not serve/);
    const bad = await fail('/v1/chat/completions', '{"model":');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_json', type: 'invalid_request_error', param: null });
    const types = await fail('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 42 }] });
    expect(types.status).toBe(400);
    expect(types.json.error.param).toBe('messages[0].content');
    expect((await fail('/v1/chat/completions', chat({ n: 'two' }))).json.error.param).toBe('n');
    expect((await fail('/v1/chat/completions', chat({ response_format: { type: 'json_schema' } }))).status).toBe(400);
    expect((await fail('/v2/nothing', {})).status).toBe(404);
  });

  it('rejects a prompt over the context window', async () => {
    const res = await fail('/v1/chat/completions', { model: 'tiny', messages: [{ role: 'user', content: 'word '.repeat(100) }] });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'context_length_exceeded', param: 'messages', type: 'invalid_request_error' });
    const budget = await fail('/v1/chat/completions', { model: 'tiny', messages: [{ role: 'user', content: 'hi' }], max_tokens: 60 });
    expect(budget.json.error.code).toBe('context_length_exceeded');
  });
});

describe('chat completions', () => {
  it('answers non-stream with usage, deterministically', async () => {
    const a = await post('/v1/chat/completions', chat());
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ object: 'chat.completion', model: 'chat' });
    expect(a.json.id).toMatch(/^chatcmpl-/);
    const choice = a.json.choices[0]!;
    expect(choice).toMatchObject({ index: 0, logprobs: null, finish_reason: 'stop', message: { role: 'assistant', refusal: null } });
    expect(choice.message.content?.length).toBeGreaterThan(0);
    expect(a.json.usage).toMatchObject({ prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } });
    expect(a.json.usage.total_tokens).toBe(a.json.usage.prompt_tokens + a.json.usage.completion_tokens);
    const b = await post('/v1/chat/completions', chat());
    expect(b.json.choices[0]?.message.content).toBe(choice.message.content);
  });

  it('prefers max_completion_tokens, and stops at it with finish_reason length', async () => {
    const res = await post('/v1/chat/completions', chat({ max_completion_tokens: 5, max_tokens: 50 }));
    expect(res.json.choices[0]?.finish_reason).toBe('length');
    expect(res.json.usage.completion_tokens).toBe(5);
  });

  it('cuts before a stop sequence', async () => {
    const res = await post('/v1/chat/completions', chat({ stop: ['.'] }));
    expect(res.json.choices[0]?.finish_reason).toBe('stop');
    expect(res.json.choices[0]?.message.content).not.toContain('.');
  });

  it('streams per COMPAT: one id and created, role first, one finish_reason per choice, usage last, then [DONE]', async () => {
    const whole = await post('/v1/chat/completions', chat({ n: 2, max_tokens: 40 }));
    const { chunks, headers } = await sse('/v1/chat/completions', chat({ n: 2, max_tokens: 40, stream: true, stream_options: { include_usage: true } }));
    expect(headers.get('content-type')).toBe('text/event-stream');
    expect(headers.get('x-worker-id')).toBe('worker-7');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0]?.id).toMatch(/^chatcmpl-/);
    expect(new Set(chunks.map((c) => c.created)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(whole.json.usage);
    const body = chunks.slice(0, -1);
    expect(body.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
    for (const index of [0, 1]) {
      const mine = body.map((c) => c.choices[0]!).filter((c) => c.index === index);
      expect(mine[0]?.delta).toEqual({ role: 'assistant', content: '' });
      expect(mine.slice(1).every((c) => c.delta.role === undefined)).toBe(true);
      expect(mine.filter((c) => c.finish_reason !== null)).toHaveLength(1);
      expect(mine.at(-1)).toMatchObject({ delta: {}, finish_reason: whole.json.choices[index]?.finish_reason });
      expect(mine.map((c) => c.delta.content ?? '').join('')).toBe(whole.json.choices[index]?.message.content);
    }
  });

  it('sends no usage chunk unless asked', async () => {
    const { chunks } = await sse('/v1/chat/completions', chat({ max_tokens: 5, stream: true }));
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
  });

  it('calls tools, in both modes', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    const body = { model: 'chat', messages: [{ role: 'user', content: 'What is the weather in Paris?' }], tools, tool_choice: 'required' };
    const res = await post('/v1/chat/completions', body);
    const choice = res.json.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    const call = choice.message.tool_calls![0]!;
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
    expect(call.id).toMatch(/^call_/);
    expect(typeof (JSON.parse(call.function.arguments) as { city: unknown }).city).toBe('string');
    const auto = await post('/v1/chat/completions', { ...body, tool_choice: 'auto', messages: [{ role: 'user', content: 'use get_weather for Lyon' }] });
    expect(auto.json.choices[0]?.finish_reason).toBe('tool_calls');
    const named = await post('/v1/chat/completions', { ...body, tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    expect(named.json.choices[0]?.message.tool_calls?.[0]?.function.name).toBe('get_weather');
    const none = await post('/v1/chat/completions', { ...body, tool_choice: 'auto', messages: [{ role: 'user', content: 'hello' }] });
    expect(none.json.choices[0]?.finish_reason).toBe('stop');

    const { chunks } = await sse('/v1/chat/completions', { ...body, stream: true });
    const choices = chunks.map((c) => c.choices[0]!);
    const fragments = choices.flatMap((c) => c.delta.tool_calls ?? []);
    expect(fragments[0]).toEqual({ index: 0, id: call.id, type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(fragments.slice(1).every((f) => f.id === undefined && f.function.name === undefined)).toBe(true);
    expect(fragments.map((f) => f.function.arguments).join('')).toBe(call.function.arguments);
    expect(choices.at(-1)?.finish_reason).toBe('tool_calls');
  });

  it('answers JSON valid against a schema', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false };
    const res = await post('/v1/chat/completions', chat({ response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema } } }));
    const person = JSON.parse(res.json.choices[0]?.message.content ?? '') as { name: unknown; age: unknown };
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
    const obj = await post('/v1/chat/completions', chat({ response_format: { type: 'json_object' } }));
    expect(JSON.parse(obj.json.choices[0]?.message.content ?? '')).toBeTypeOf('object');
  });

  it('gives reasoning models reasoning_content, counted in the usage', async () => {
    const res = await post('/v1/chat/completions', chat({ model: 'reasoner' }));
    const message = res.json.choices[0]!.message;
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    expect(res.json.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    expect(res.json.usage.completion_tokens).toBeGreaterThan(res.json.usage.completion_tokens_details.reasoning_tokens);
    const { chunks } = await sse('/v1/chat/completions', chat({ model: 'reasoner', stream: true }));
    const deltas = chunks.map((c) => c.choices[0]!.delta);
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe(message.reasoning_content);
    expect(deltas.map((d) => d.content ?? '').join('')).toBe(message.content);
  });
});

describe('legacy completions', () => {
  it('answers one choice per prompt × n, and streams text_completion chunks', async () => {
    const res = await post<CompletionResponse>('/v1/completions', { model: 'chat', prompt: ['one', 'two'], n: 2 });
    expect(res.json.object).toBe('text_completion');
    expect(res.json.id).toMatch(/^cmpl-/);
    expect(res.json.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(res.json.usage.completion_tokens).toBeLessThanOrEqual(4 * 16);
    const { chunks } = await sse('/v1/completions', { model: 'chat', prompt: 'one', max_tokens: 8, stream: true, stream_options: { include_usage: true } });
    const body = chunks.slice(0, -1);
    expect(body.every((c) => c.object === 'text_completion' && c.choices.length === 1)).toBe(true);
    expect(body.filter((c) => c.choices[0]?.finish_reason !== null)).toHaveLength(1);
    expect(chunks.at(-1)?.choices).toEqual([]);
    const whole = await post<CompletionResponse>('/v1/completions', { model: 'chat', prompt: 'one', max_tokens: 8 });
    expect(body.map((c) => c.choices[0]?.text ?? '').join('')).toBe(whole.json.choices[0]?.text);
    expect((await post<CompletionResponse>('/v1/completions', { model: 'chat', prompt: [1, 2, 3] })).status).toBe(200);
    expect((await fail('/v1/completions', { model: 'chat', prompt: [] })).status).toBe(400);
  });
});

describe('embeddings, rerank, transcription', () => {
  it('embeds as floats and base64, the same vectors, with dimensions', async () => {
    const input = ['the cat sat on the mat', 'a cat on a mat', 'quarterly revenue grew'];
    const floats = await post<EmbeddingResponse>('/v1/embeddings', { model: 'embed', input });
    const b64 = await post<EmbeddingResponse>('/v1/embeddings', { model: 'embed', input, encoding_format: 'base64' });
    expect(floats.json.object).toBe('list');
    expect(floats.json.usage.prompt_tokens).toBeGreaterThan(0);
    for (const [i, d] of b64.json.data.entries()) {
      expect(d.index).toBe(i);
      expect(Array.from(fromBase64(d.embedding as string))).toEqual(floats.json.data[i]?.embedding);
    }
    const small = await post<EmbeddingResponse>('/v1/embeddings', { model: 'embed', input: 'hello', dimensions: 256 });
    expect(small.json.data[0]?.embedding).toHaveLength(256);
    expect((await fail('/v1/embeddings', { model: 'embed', input: 'hello', dimensions: 4096 })).status).toBe(400);
    expect((await fail('/v1/embeddings', { model: 'embed', input: '' })).status).toBe(400);
    expect((await post<EmbeddingResponse>('/v1/embeddings', { model: 'embed', input: [[1, 2], [3]] })).json.data).toHaveLength(2);
  });

  it('reranks with BM25, sorted, cut to top_n', async () => {
    const documents = [
      'The stock market fell sharply on Monday.',
      { text: 'Machine learning lets a machine learn from data.' },
      'Water your tomatoes early in the morning.',
      'Paris est la capitale de la France.',
    ];
    const res = await post<RerankResponse>('/v1/rerank', { model: 'ranker', query: 'what is machine learning', documents });
    const { results } = res.json;
    expect(results[0]).toMatchObject({ index: 1, document: { text: 'Machine learning lets a machine learn from data.' } });
    expect(results.at(-1)?.index).toBe(3);
    expect(results.map((r) => r.relevance_score)).toEqual(results.map((r) => r.relevance_score).sort((a, b) => b - a));
    expect(res.json).toMatchObject({ object: 'list', model: 'ranker' });
    expect(res.json.usage.total_tokens).toBe(res.json.usage.prompt_tokens);
    const top = await post<RerankResponse>('/v1/rerank', { model: 'ranker', query: 'machine learning', documents, top_n: 2, return_documents: false });
    expect(top.json.results).toHaveLength(2);
    expect(top.json.results[0]?.document).toBeUndefined();
    expect((await fail('/v1/rerank', { model: 'ranker', query: 'x', documents: [] })).status).toBe(400);
    expect((await fail('/v1/rerank', { model: 'ranker', query: 'x', documents: [1, 2] })).status).toBe(400);
  });

  it('transcribes a WAV and refuses what is not one', async () => {
    const res = await post<{ text: string; duration: number; usage: unknown }>('/v1/audio/transcriptions', { model: 'whisper', audio_base64: silentWav(3).toString('base64'), format: 'wav' });
    expect(res.status).toBe(200);
    expect(res.json.duration).toBeCloseTo(3);
    expect(res.json.usage).toEqual({ type: 'duration', seconds: 3 });
    expect(res.json.text.length).toBeGreaterThan(0);
    const bad = await fail('/v1/audio/transcriptions', { model: 'whisper', audio_base64: Buffer.from('ID3 not a wav').toString('base64') });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_audio');
  });
});

describe('metrics, state, faults, draining', () => {
  it('exposes vLLM metric names', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('vllm:num_requests_waiting{model_name="chat"} 0');
    expect(text).toContain('vllm:num_requests_running{model_name="chat"} 0');
    expect(text).toContain('vllm:kv_cache_usage_perc{model_name="chat"}');
    expect(text).toMatch(/vllm:prompt_tokens_total\{model_name="chat"\} [1-9]/);
    expect(text).toMatch(/vllm:generation_tokens_total\{model_name="chat"\} [1-9]/);
  });

  it('exposes VRAM per GPU in bytes, as the heartbeat tells it, and one line per model with its state', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const [gpu0, gpu1] = machine.gpus().map((g) => g.vramUsedMiB * 1024 * 1024);
    const llmaas = text.split('\n').filter((line) => line.startsWith('llmaas_'));
    expect(llmaas).toEqual([
      'llmaas_gpu_vram_total_bytes{gpu="0"} 150754820096',
      'llmaas_gpu_vram_total_bytes{gpu="1"} 150754820096',
      `llmaas_gpu_vram_used_bytes{gpu="0"} ${gpu0}`,
      `llmaas_gpu_vram_used_bytes{gpu="1"} ${gpu1}`,
      ...Object.keys(specs).map((model) => `llmaas_worker_model_loaded{model="${model}",state="ready"} 1`),
    ]);
    expect(gpu0).toBeGreaterThan(0);
    expect(text).toContain('# TYPE llmaas_gpu_vram_used_bytes gauge');
  });

  it('drops streams after N tokens while the fault is set, and frees their slots', async () => {
    const set = await post<unknown>('/sim/faults', { abortStreamsAfterTokens: 3 });
    expect(set.json).toEqual({ faults: { abortStreamsAfterTokens: 3 } });
    const res = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat({ stream: true, max_tokens: 50 })) });
    await expect(res.text()).rejects.toThrow();
    await post<unknown>('/sim/faults', { abortStreamsAfterTokens: null });
    await until(async () => (await state()).running === 0);
    expect(await state()).toMatchObject({ workerId: 'worker-7', faults: { abortStreamsAfterTokens: null }, queueDepth: 0 });
    expect((await fail('/sim/faults', { abortStreamsAfterTokens: 'x' })).status).toBe(400);
  });

  it('answers 503 worker_draining while draining or cordoned', async () => {
    const command = (action: FleetCommand['action']) => machine.apply({ commandId: 'c', workerId: 'worker-7', action, issuedAt: new Date().toISOString() });
    command('drain');
    const res = await fail('/v1/chat/completions', chat());
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe('worker_draining');
    command('uncordon');
    command('cordon');
    expect((await fail('/v1/embeddings', { model: 'embed', input: 'x' })).status).toBe(503);
    command('uncordon');
    expect((await post('/v1/chat/completions', chat())).status).toBe(200);
  });
});

describe('a client that goes away', () => {
  it('cancels its sequence mid-stream, freeing the batch slot and KV', async () => {
    const slow = new SimMachine('worker-8', 'http://127.0.0.1:9308', parseFleetSpec('H100-80GB')[0]!, { timeScale: 1, loadGBs: 1e6 });
    load(slow, 'chat', specs.chat!);
    const { server: slowServer, base: slowBase } = await start(slow);
    try {
      await until(() => slow.engine.ready('chat') !== undefined);
      const weights = slow.engine.usedBytes();
      const abort = new AbortController();
      const res = await fetch(`${slowBase}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(chat({ stream: true, ignore_eos: true, max_tokens: 2000 })),
        signal: abort.signal,
      });
      const reader = res.body!.getReader();
      await reader.read();
      expect(slow.heartbeat(new Date()).running).toBe(1);
      expect(slow.engine.usedBytes()).toBeGreaterThan(weights);
      abort.abort();
      await until(() => slow.heartbeat(new Date()).running === 0);
      expect(slow.engine.usedBytes()).toBe(weights);
    } finally {
      slow.close();
      slowServer.closeAllConnections();
      await new Promise((resolve) => slowServer.close(resolve));
    }
  });
});
