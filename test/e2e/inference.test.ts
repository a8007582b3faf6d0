import OpenAI, { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';

import { api, createKey, createTenant, uniqueId } from '../support/admin.js';
import { collectFrom } from '../support/kafka.js';
import { smallestServed } from '../support/models.js';
import { developerKey, eventually, gatewayUrl } from '../support/platform.js';

// The official OpenAI SDK pointed at the gateway, as a customer would. Models come from today's
// catalog; the first call to each may wait for the scheduler to load it on a worker.
const client = () => new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: developerKey(), maxRetries: 0, timeout: 120_000 });
let chatModel: string;
let embeddingModel: string;
let rerankModel: string;

const post = (path: string, body: unknown, key = developerKey(), headers: Record<string, string> = {}) =>
  fetch(`${gatewayUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  chatModel = await smallestServed('chat', (m) => !m.reasoning);
  embeddingModel = await smallestServed('embedding');
  rerankModel = await smallestServed('rerank');
  // Warm: the first request of each model waits for its placement on a worker.
  await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'warm up' }], max_tokens: 1 });
}, 180_000);

describe('chat completions with the openai SDK', () => {
  it('answers non-stream with usage, an x-request-id and the worker that served it', async () => {
    const { data, response, request_id } = await client()
      .chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'Tell me about Kafka.' }], temperature: 0, seed: 7 })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.id).toMatch(/^chatcmpl-/);
    expect(data.choices[0]?.message.role).toBe('assistant');
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(data.choices[0]?.finish_reason);
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));
    expect(data.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
    expect(request_id).toMatch(/^req_/);
    expect(response.headers.get('x-llmaas-worker')).toMatch(/^worker-\d+$/);
  });

  it('streams exactly as COMPAT.md says: one id, role first, one finish_reason, usage last, same text as non-stream', async () => {
    const messages = [{ role: 'user' as const, content: 'Explain continuous batching in a few words.' }];
    const whole = await client().chat.completions.create({ model: chatModel, messages, temperature: 0, seed: 1, max_tokens: 40 });
    const stream = await client().chat.completions.create({ model: chatModel, messages, temperature: 0, seed: 1, max_tokens: 40, stream: true, stream_options: { include_usage: true } });
    const ids = new Set<string>();
    let text = '';
    let finishes = 0;
    let roleChunks = 0;
    let usageChunk: OpenAI.Completions.CompletionUsage | null = null;
    let index = 0;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      if (chunk.choices.length === 0) {
        usageChunk = chunk.usage ?? null;
        continue;
      }
      const choice = chunk.choices[0]!;
      if (choice.delta.role) {
        expect(index).toBe(0);
        roleChunks++;
      }
      text += choice.delta.content ?? '';
      if (choice.finish_reason) finishes++;
      index++;
    }
    expect(ids.size).toBe(1);
    expect(roleChunks).toBe(1);
    expect(finishes).toBe(1);
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(usageChunk).toMatchObject({ prompt_tokens: whole.usage?.prompt_tokens, completion_tokens: whole.usage?.completion_tokens });
  });

  it('sends no usage chunk unless asked', async () => {
    const stream = await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, stream: true });
    for await (const chunk of stream) expect(chunk.choices.length).toBe(1);
  });

  it('stops at max_tokens with finish_reason length and exact counts', async () => {
    const res = await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'Write a long essay.' }], max_completion_tokens: 5 });
    expect(res.choices[0]?.finish_reason).toBe('length');
    expect(res.usage?.completion_tokens).toBe(5);
  });

  it('returns n choices, tool calls and JSON that fits a schema', async () => {
    const n = await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'hello' }], n: 3, max_tokens: 8 });
    expect(n.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    const tools = await client().chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
      tool_choice: 'required',
    });
    expect(tools.choices[0]?.finish_reason).toBe('tool_calls');
    const call = tools.choices[0]?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type === 'function') expect(JSON.parse(call.function.arguments)).toHaveProperty('city');
    const json = await client().chat.completions.create({
      model: chatModel,
      messages: [{ role: 'user', content: 'Give me a person.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false } } },
    });
    const person = JSON.parse(json.choices[0]?.message.content ?? '') as { name: unknown; age: unknown };
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
  });
});

describe('the other endpoints', () => {
  it('embeds as base64 (the SDK default) and as floats, the same vectors', async () => {
    const input = ['the cat sat on the mat', 'a cat on a mat', 'quarterly revenue grew'];
    const viaBase64 = await client().embeddings.create({ model: embeddingModel, input });
    const viaFloat = await client().embeddings.create({ model: embeddingModel, input, encoding_format: 'float' });
    expect(viaBase64.data.map((d) => d.index)).toEqual([0, 1, 2]);
    for (const [i, d] of viaBase64.data.entries()) {
      const float = viaFloat.data[i]!.embedding;
      expect(d.embedding.length).toBe(float.length);
      d.embedding.forEach((v, j) => expect(v).toBeCloseTo(float[j]!, 5));
    }
    const cos = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    const [a, b, c] = viaFloat.data.map((d) => d.embedding) as [number[], number[], number[]];
    expect(cos(a, b)).toBeGreaterThan(cos(a, c));
    expect(viaFloat.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('completes text (legacy completions)', async () => {
    const res = await client().completions.create({ model: chatModel, prompt: 'Once upon a time', max_tokens: 6 });
    expect(res.object).toBe('text_completion');
    expect(res.choices[0]?.text.length).toBeGreaterThan(0);
    expect(res.usage?.completion_tokens).toBe(6);
  });

  it('reranks in the Jina/vLLM shape at /v1/rerank and in Cohere v2 shape at /v2/rerank', async () => {
    const documents = ['Paris est la capitale de la France.', 'Machine learning trains models on data.', 'The weather is nice.', 'Deep learning is a kind of machine learning.'];
    const v1 = await post('/v1/rerank', { model: rerankModel, query: 'what is machine learning', documents });
    expect(v1.status).toBe(200);
    const body = (await v1.json()) as { results: { index: number; relevance_score: number }[]; usage: { prompt_tokens: number; total_tokens: number } };
    expect(body.results).toHaveLength(4);
    expect([1, 3]).toContain(body.results[0]?.index);
    expect(body.results.at(-1)?.index).toBe(0);
    expect(body.usage.prompt_tokens).toBe(body.usage.total_tokens);
    const v2 = await post('/v2/rerank', { model: rerankModel, query: 'what is machine learning', documents, top_n: 2 });
    const cohere = (await v2.json()) as { results: { index: number; relevance_score: number }[]; meta: unknown };
    expect(cohere.results).toHaveLength(2);
    expect(cohere.meta).toBeDefined();
  });
});

/** A WAV file: 16 kHz, mono, 16-bit PCM, `seconds` long (a quiet tone). */
function wav(seconds: number): Buffer {
  const rate = 16_000;
  const samples = Math.round(rate * seconds);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((i / rate) * 2 * Math.PI * 440) * 3000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('audio transcriptions', () => {
  it('transcribes a multipart upload with the SDK, the duration read from the audio and metered', async () => {
    const model = await smallestServed('audio-transcription');
    let requestId = '';
    const events = await collectFrom(
      'inference.usage',
      (v) => v as { requestId: string; audioSeconds: number; kind: string },
      (found) => found.some((e) => e.requestId === requestId),
      {
        timeoutMs: 60_000,
        act: async () => {
          const { data, request_id } = await client().audio.transcriptions.create({ model, file: await toFile(wav(2.5), 'speech.wav', { type: 'audio/wav' }) }).withResponse();
          requestId = request_id ?? '';
          expect(data.text.length).toBeGreaterThan(0);
          expect((data as unknown as { usage: { seconds: number } }).usage.seconds).toBe(3);
          const text = await client().audio.transcriptions.create({ model, file: await toFile(wav(1), 'speech.wav'), response_format: 'text' });
          expect(typeof text).toBe('string');
        },
      },
    );
    expect(events.find((e) => e.requestId === requestId)).toMatchObject({ kind: 'audio-transcription', audioSeconds: 2.5 });
  });

  it('refuses audio that is not WAV, and a chat model on the transcription endpoint', async () => {
    const model = await smallestServed('audio-transcription');
    const bad = await client().audio.transcriptions.create({ model, file: await toFile(Buffer.from('not audio at all'), 'x.wav') }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400 });
    const wrong = await client().audio.transcriptions.create({ model: chatModel, file: await toFile(wav(1), 'x.wav') }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ status: 400, code: 'wrong_endpoint' });
  });
});

describe('bad input gets a clear 4xx, never a 500', () => {
  const cases: [string, unknown, string | null][] = [
    ['malformed JSON', '{"model":', null],
    ['messages missing', { model: 'X' }, 'messages'],
    ['messages not an array', { model: 'X', messages: 'hi' }, 'messages'],
    ['a message without role', { model: 'X', messages: [{}] }, 'messages.0.role'],
    ['content of the wrong type', { model: 'X', messages: [{ role: 'system', content: 123 }] }, 'messages.0.content'],
    ['temperature out of range', { model: 'X', messages: [{ role: 'user', content: 'hi' }], temperature: 5 }, 'temperature'],
    ['stream_options without stream', { model: 'X', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } }, 'stream_options'],
    ['json_schema without its schema object', { model: 'X', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_schema' } }, 'response_format.json_schema'],
  ];
  for (const [name, body, param] of cases) {
    it(`400 for ${name}`, async () => {
      const real = typeof body === 'string' ? body : JSON.stringify({ ...(body as object), model: chatModel });
      const res = await post('/v1/chat/completions', real);
      expect(res.status).toBe(400);
      const error = ((await res.json()) as { error: { type: string; param: string | null; message: string } }).error;
      expect(error.type).toBe('invalid_request_error');
      if (param) expect(error.param).toBe(param);
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    });
  }

  it('names the right endpoint for a model of another kind', async () => {
    const err = await client().chat.completions.create({ model: embeddingModel, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'wrong_endpoint', param: 'model' });
    expect((err as Error).message).toContain('/v1/embeddings');
  });

  it('refuses a prompt over the model context with context_length_exceeded', async () => {
    const err = await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'word '.repeat(300_000) }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'context_length_exceeded' });
  });

  it('refuses images for a model that does not read them', async () => {
    const err = await client()
      .chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, param: 'messages' });
  });
});

describe('metering', () => {
  it('publishes one inference.usage event per request, with the worker\'s counts', async () => {
    let requestId = '';
    let completion: OpenAI.Chat.Completions.ChatCompletion | null = null;
    const events = await collectFrom(
      'inference.usage',
      (v) => v as { requestId: string; inputTokens: number; outputTokens: number; status: string; workerId: string; mode: string },
      (found) => found.some((e) => e.requestId === requestId),
      {
        timeoutMs: 15_000,
        act: async () => {
          const { data, request_id } = await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'count me' }], max_tokens: 7 }).withResponse();
          completion = data;
          requestId = request_id ?? '';
        },
      },
    );
    const mine = events.filter((e) => e.requestId === requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ status: 'completed', mode: 'interactive', inputTokens: completion!.usage?.prompt_tokens, outputTokens: 7 });
  });
});

describe('503 and the SDK retries', () => {
  it('answers 503 with retry-after when no worker can host a model, and the SDK retries exactly twice', async () => {
    const tenant = await createTenant(uniqueId('huge'), { betaOptIn: true });
    const key = (await createKey(tenant, 'developer')).secret;
    const id = uniqueId('huge-model');
    // An experimental model (only this beta tenant sees it) too large for any machine of the fleet.
    const created = await api('POST', '/admin/v1/models', { body: { id, publisher: 'e2e', kind: 'chat', paramsBillion: 2000, contextLength: 8192, stability: 'experimental', productionDate: '2026-01-01', vramMiB: 2_000_000 } });
    expect(created.status).toBe(201);
    await eventually(() => fetch(`${gatewayUrl}/v1/models/${id}`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status), (s) => s === 200, 5000, 20);
    const attempts: string[] = [];
    const counting = new OpenAI({
      baseURL: `${gatewayUrl}/v1`,
      apiKey: key,
      maxRetries: 2,
      fetch: async (url, init) => {
        attempts.push(new Headers(init?.headers).get('x-stainless-retry-count') ?? '?');
        return fetch(url, init);
      },
    });
    const started = Date.now();
    const err = await counting.chat.completions.create({ model: id, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, code: 'no_capacity' });
    expect((err as Error).message).toContain('VRAM');
    expect((err as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('1');
    expect(attempts).toEqual(['0', '1', '2']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000); // it honoured retry-after between attempts
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer to a retried POST, counted once; the same key with another body is a 422', async () => {
    const key = `idem-${Date.now()}-${Math.random()}`;
    const body = { model: chatModel, messages: [{ role: 'user' as const, content: 'idempotent please' }], max_tokens: 6 };
    const ids: string[] = [];
    const events = await collectFrom(
      'inference.usage',
      (v) => (v as { requestId: string }).requestId,
      (found) => found.includes(ids[0] ?? '-'),
      {
        timeoutMs: 15_000,
        act: async () => {
          const first = await client().chat.completions.create(body, { headers: { 'Idempotency-Key': key } }).withResponse();
          const again = await client().chat.completions.create(body, { headers: { 'Idempotency-Key': key } }).withResponse();
          ids.push(first.request_id ?? '', again.request_id ?? '');
          expect(again.data.id).toBe(first.data.id);
          expect(again.data.choices[0]?.message.content).toBe(first.data.choices[0]?.message.content);
          expect(again.response.headers.get('idempotent-replayed')).toBe('true');
        },
      },
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(events.filter((id) => id === ids[0])).toHaveLength(1);
    expect(events).not.toContain(ids[1]);
    const reused = await post('/v1/chat/completions', { ...body, max_tokens: 7 }, developerKey(), { 'idempotency-key': key });
    expect(reused.status).toBe(422);
  });
});

describe('faults', () => {
  it('ends a stream cut by a dying worker with an error event, and the SDK raises APIError', async () => {
    const probe = await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'probe' }], max_tokens: 1 }).withResponse();
    const workerId = probe.response.headers.get('x-llmaas-worker') ?? '';
    const fleet = await api<{ workers: { workerId: string; endpoint: string; models: { model: string }[] }[] }>('GET', '/admin/v1/fleet');
    const hosts = fleet.body.workers.filter((w) => w.models.some((m) => m.model === chatModel));
    const fault = (body: unknown) => Promise.all(hosts.map((w) => fetch(`${w.endpoint}/sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })));
    expect(hosts.map((w) => w.workerId)).toContain(workerId);
    // Cut after 100 tokens of a 400-token answer: the guard's verdict (awaited before the first
    // byte) has come by then, so the client has part of the answer when the worker dies.
    await fault({ abortStreamsAfterTokens: 100 });
    let requestId = '';
    let delivered = 0;
    try {
      const usage = await collectFrom(
        'inference.usage',
        (v) => v as { requestId: string; status: string; outputTokens: number; inputTokens: number },
        (found) => found.some((e) => e.requestId === requestId),
        {
          timeoutMs: 15_000,
          act: async () => {
            const params = { model: chatModel, messages: [{ role: 'user' as const, content: 'a long story please' }], max_tokens: 400, stream: true as const, ignore_eos: true };
            const { data: stream, request_id } = await client().chat.completions.create(params).withResponse();
            requestId = request_id ?? '';
            let text = '';
            const outcome = await (async () => {
              for await (const chunk of stream) {
                const piece = chunk.choices[0]?.delta.content ?? '';
                if (piece) delivered++;
                text += piece;
              }
              return 'ended';
            })().catch((e: unknown) => e);
            expect(outcome).toBeInstanceOf(OpenAI.APIError);
            expect((outcome as Error).message).toContain('worker');
            expect(text.length).toBeGreaterThan(0);
          },
        },
      );
      // What was delivered is metered once, as a failed request.
      const mine = usage.filter((e) => e.requestId === requestId);
      expect(mine).toHaveLength(1);
      expect(mine[0], JSON.stringify({ delivered, event: mine[0] })).toMatchObject({ status: 'failed', outputTokens: delivered });
      expect(mine[0]!.inputTokens).toBeGreaterThan(0);
    } finally {
      await fault({ abortStreamsAfterTokens: null });
    }
    // The slot came back: the platform still serves.
    const after = await client().chat.completions.create({ model: chatModel, messages: [{ role: 'user', content: 'still there?' }], max_tokens: 3 });
    expect(after.choices[0]?.message.content?.length).toBeGreaterThan(0);
  });
});
