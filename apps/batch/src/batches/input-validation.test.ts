import { describe, expect, it } from 'vitest';

import { type BatchEndpoint, InputValidator, type InputValidatorOptions, type LineError, type ModelCheck, embeddingInputCount, parseBatchLine } from './input-validation.js';
import { splitLines } from './jsonl-lines.js';

const chat = (customId: string, body: Record<string, unknown> = {}, over: Record<string, unknown> = {}) =>
  JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model: 'm1', messages: [{ role: 'user', content: 'hi' }], ...body }, ...over });

const allowAll: ModelCheck = () => null;

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  await Promise.resolve(); // a source awaits its I/O
  yield bytes;
}

/** Runs a file's text through splitLines and the validator, as the service does. */
async function validate(text: string, options: Partial<InputValidatorOptions> = {}) {
  const validator = new InputValidator({ endpoint: '/v1/chat/completions', maxRequests: 50_000, maxEmbeddingInputs: 50_000, chunkLines: 100, checkModel: allowAll, ...options });
  for await (const line of splitLines(once(Buffer.from(text, 'utf8')))) validator.add(line);
  return validator.result();
}

const file = (...lines: string[]) => lines.join('\n') + '\n';
const codes = (errors: LineError[]) => errors.map((e) => [e.line, e.code, e.param]);

describe('parseBatchLine', () => {
  it('returns the typed line, body kept whole', () => {
    expect(parseBatchLine(chat('a', { temperature: 0.2 }), 1, '/v1/chat/completions')).toEqual({
      custom_id: 'a',
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'm1', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 },
    });
  });

  it('answers invalid_json_line with OpenAI’s message', () => {
    expect(parseBatchLine('{"custom_id": "a",', 7, '/v1/chat/completions')).toEqual({ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null, line: 7 });
  });

  it.each([
    ['an array', '[1,2]', null, /JSON object/],
    ['null', 'null', null, /JSON object/],
    ['a string', '"x"', null, /JSON object/],
    ['no custom_id', JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [] } }), 'custom_id', /Missing required field 'custom_id'/],
    ['a numeric custom_id', chat('a', {}, { custom_id: 7 }), 'custom_id', /'custom_id' must be a string/],
    ['an empty custom_id', chat(''), 'custom_id', /must not be empty/],
    ['a 513-char custom_id', chat('x'.repeat(513)), 'custom_id', /at most 512/],
    ['method GET', chat('a', {}, { method: 'GET' }), 'method', /'method' must be "POST", got "GET"/],
    ['no method', chat('a', {}, { method: undefined }), 'method', /Missing required field 'method'/],
    ['no url', chat('a', {}, { url: undefined }), 'url', /Missing required field 'url'/],
    ['no body', chat('a', {}, { body: undefined }), 'body', /Missing required field 'body'/],
    ['a string body', chat('a', {}, { body: 'x' }), 'body', /'body' must be an object/],
    ['no model', chat('a', { model: undefined }), 'body.model', /Missing required field 'body.model'/],
    ['a numeric model', chat('a', { model: 3 }), 'body.model', /'body.model' must be a string/],
    ['stream true', chat('a', { stream: true }), 'body.stream', /Streaming is not supported in a batch\./],
    ['stream "True"', chat('a', { stream: 'True' }), 'body.stream', /Streaming is not supported/],
    ['stream 1', chat('a', { stream: 1 }), 'body.stream', /Streaming is not supported/],
    ['no messages', chat('a', { messages: undefined }), 'body.messages', /Missing required field 'body.messages'/],
    ['messages as a string', chat('a', { messages: 'hi' }), 'body.messages', /must be an array/],
  ])('rejects %s as invalid_request naming the field', (_name, text, param, message) => {
    const error = parseBatchLine(text, 3, '/v1/chat/completions') as LineError;
    expect(error).toMatchObject({ code: 'invalid_request', param, line: 3 });
    expect(error.message).toMatch(message);
  });

  it('accepts a 512-char custom_id and a stream that is off', () => {
    for (const stream of [false, null, 'false', 'False', 0]) expect(parseBatchLine(chat('x'.repeat(512), { stream }), 1, '/v1/chat/completions')).not.toHaveProperty('code');
  });

  it('answers url_mismatch naming both urls', () => {
    const error = parseBatchLine(chat('a', {}, { url: '/v1/embeddings' }), 2, '/v1/chat/completions') as LineError;
    expect(error).toMatchObject({ code: 'url_mismatch', param: 'url', line: 2 });
    expect(error.message).toContain('/v1/embeddings');
    expect(error.message).toContain('/v1/chat/completions');
  });

  it.each<[BatchEndpoint, Record<string, unknown>, string | null]>([
    ['/v1/completions', { prompt: 'hi' }, null],
    ['/v1/completions', {}, 'body.prompt'],
    ['/v1/embeddings', { input: ['a'] }, null],
    ['/v1/embeddings', {}, 'body.input'],
    ['/v1/rerank', { query: 'q', documents: ['a'] }, null],
    ['/v1/rerank', { query: 'q', texts: ['a'] }, null],
    ['/v1/rerank', { documents: ['a'] }, 'body.query'],
    ['/v1/rerank', { query: 'q' }, 'body.documents'],
  ])('%s with %j: missing field %s', (endpoint, body, param) => {
    const parsed = parseBatchLine(JSON.stringify({ custom_id: 'a', method: 'POST', url: endpoint, body: { model: 'm', ...body } }), 1, endpoint);
    if (param === null) expect(parsed).not.toHaveProperty('code');
    else expect(parsed).toMatchObject({ code: 'invalid_request', param, line: 1 });
  });
});

describe('InputValidator', () => {
  it('accepts a valid file: total, model and one chunk covering every byte', async () => {
    const text = file(chat('a'), chat('b'), chat('c'));
    expect(await validate(text)).toEqual({ errors: [], errorCount: 0, total: 3, model: 'm1', chunks: [{ index: 0, firstLine: 1, count: 3, start: 0, end: Buffer.byteLength(text) }] });
  });

  it('reports each bad line with its physical line number, blank lines skipped but counted', async () => {
    const result = await validate(
      file(
        chat('a'), // 1
        '', // 2
        'not json', // 3
        '   ', // 4
        chat('b', {}, { method: 'GET' }), // 5
        chat('c', {}, { url: '/v1/completions' }), // 6
        chat('a'), // 7
        chat('d', { model: 'm2' }), // 8
        chat('e', { stream: true }), // 9
        chat('f'), // 10
      ),
    );
    expect(codes(result.errors)).toEqual([
      [3, 'invalid_json_line', null],
      [5, 'invalid_request', 'method'],
      [6, 'url_mismatch', 'url'],
      [7, 'duplicate_custom_id', 'custom_id'],
      [8, 'model_mismatch', 'body.model'],
      [9, 'invalid_request', 'body.stream'],
    ]);
    expect(result.total).toBe(8);
    expect(result.errorCount).toBe(6);
    expect(result.model).toBe('m1');
  });

  it('names the duplicated custom_id and where it was first used', async () => {
    const { errors } = await validate(file(chat('dup'), chat('x'), chat('dup')));
    expect(errors).toEqual([{ code: 'duplicate_custom_id', param: 'custom_id', line: 3, message: expect.stringContaining('"dup"') as unknown }]);
    expect(errors[0]?.message).toContain('line 1');
  });

  it('takes the first valid line’s model and names both models in a mismatch', async () => {
    const { errors, model } = await validate(file('{', chat('a', { model: 'first' }), chat('b', { model: 'second' })));
    expect(model).toBe('first');
    expect(codes(errors)).toEqual([
      [1, 'invalid_json_line', null],
      [3, 'model_mismatch', 'body.model'],
    ]);
    expect(errors[1]?.message).toMatch(/"second".*"first"/);
  });

  it('reports a model refusal once, with its code and the line of the first use', async () => {
    const asked: string[] = [];
    const checkModel: ModelCheck = (model) => {
      asked.push(model);
      return { code: 'model_not_found', message: `The model ${model} does not exist.` };
    };
    const { errors, model } = await validate(file('', chat('a', { model: 'ghost' }), chat('b', { model: 'ghost' })), { checkModel });
    expect(errors).toEqual([{ code: 'model_not_found', message: 'The model ghost does not exist.', param: 'body.model', line: 2 }]);
    expect(asked).toEqual(['ghost']);
    expect(model).toBe('ghost');
  });

  it('answers empty_file for no request lines, blank lines included', async () => {
    for (const text of ['', '\n\n  \r\n']) {
      const result = await validate(text);
      expect(result.errors).toEqual([{ code: 'empty_file', message: expect.any(String) as unknown, param: null, line: null }]);
      expect(result).toMatchObject({ total: 0, model: null, chunks: [] });
    }
  });

  it('answers too_many_tasks once, line null, past maxRequests', async () => {
    const result = await validate(file(chat('a'), chat('b'), chat('c'), chat('d')), { maxRequests: 2 });
    expect(result.errors).toEqual([{ code: 'too_many_tasks', message: expect.stringContaining('2') as unknown, param: null, line: null }]);
    expect(result.total).toBe(4);
  });

  it('answers too_many_tasks for 50,001 lines', async () => {
    const lines = Array.from({ length: 50_001 }, (_, i) => chat(`r${i}`));
    const result = await validate(file(...lines));
    expect(codes(result.errors)).toEqual([[null, 'too_many_tasks', null]]);
    expect(result.total).toBe(50_001);
  });

  it('counts embedding inputs over the whole file: array length, one per string, one per token array', async () => {
    const emb = (id: string, input: unknown) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/embeddings', body: { model: 'e', input } });
    const options = { endpoint: '/v1/embeddings' as const, maxEmbeddingInputs: 5 };
    expect((await validate(file(emb('a', ['x', 'y', 'z']), emb('b', 'w'), emb('c', [1, 2, 3])), options)).errors).toEqual([]);
    const over = await validate(file(emb('a', ['x', 'y', 'z']), emb('b', 'w'), emb('c', ['p', 'q']), emb('d', 'r')), options);
    expect(codes(over.errors)).toEqual([[null, 'too_many_tasks', null]]);
    expect(over.errors[0]?.message).toMatch(/embedding inputs/);
    expect([embeddingInputCount('x'), embeddingInputCount(['a', 'b']), embeddingInputCount([1, 2]), embeddingInputCount([[1], [2]]), embeddingInputCount([])]).toEqual([1, 2, 1, 2, 0]);
  });

  it('keeps the first 100 errors but counts them all, and always keeps file-level errors', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => (i % 2 === 0 ? 'bad' : chat(`r${i}`)));
    const result = await validate(file(...lines), { maxRequests: 249 });
    expect(result.errors).toHaveLength(101);
    expect(result.errors.slice(0, 100).map((e) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => 2 * i + 1));
    expect(result.errors[100]?.code).toBe('too_many_tasks');
    expect(result.errorCount).toBe(125 + 1);
    expect((await validate(file('x', 'y', 'z'), { maxErrors: 2 })).errors.map((e) => e.line)).toEqual([1, 2]);
  });

  it('cuts 250 lines into chunks of 100 whose byte ranges slice the file', async () => {
    const text = file(...Array.from({ length: 250 }, (_, i) => chat(`r${i}`, { note: 'é'.repeat(i % 7) })));
    const bytes = Buffer.from(text);
    const { chunks, errors } = await validate(text, { chunkLines: 100 });
    expect(errors).toEqual([]);
    expect(chunks.map(({ index, firstLine, count }) => [index, firstLine, count])).toEqual([
      [0, 1, 100],
      [1, 101, 100],
      [2, 201, 50],
    ]);
    expect(chunks[0]?.start).toBe(0);
    expect(chunks[1]?.start).toBe(chunks[0]?.end);
    expect(chunks[2]?.end).toBe(bytes.length);
    for (const chunk of chunks) {
      const lines = bytes.subarray(chunk.start, chunk.end).toString().split('\n').filter(Boolean);
      expect(lines).toHaveLength(chunk.count);
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({ custom_id: `r${chunk.firstLine - 1}` });
    }
  });

  it('keeps blank lines inside a chunk, and starts a new chunk after a bad line', async () => {
    const text = file(chat('a'), '', chat('b'), 'bad', chat('c'), '');
    const lines = text.split('\n').map((l) => Buffer.byteLength(l) + 1);
    const at = (n: number) => lines.slice(0, n).reduce((a, b) => a + b, 0);
    const { chunks } = await validate(text);
    expect(chunks).toEqual([
      { index: 0, firstLine: 1, count: 2, start: 0, end: at(3) },
      { index: 1, firstLine: 5, count: 1, start: at(4), end: at(5) },
    ]);
  });

  it('gives the same result when asked twice', () => {
    const validator = new InputValidator({ endpoint: '/v1/chat/completions', maxRequests: 10, maxEmbeddingInputs: 10, chunkLines: 1, checkModel: allowAll });
    validator.add({ line: 1, text: chat('a'), start: 0, end: 10 });
    const first = validator.result();
    expect(validator.result()).toEqual(first);
    validator.add({ line: 2, text: chat('b'), start: 10, end: 20 });
    expect(validator.result().chunks).toEqual([
      { index: 0, firstLine: 1, count: 1, start: 0, end: 10 },
      { index: 1, firstLine: 2, count: 1, start: 10, end: 20 },
    ]);
    expect(first.chunks).toHaveLength(1);
  });
});
