import { beforeAll, describe, expect, it } from 'vitest';

import { chooseTool, firstStop, NATURAL_MAX_TOKENS, planChoice, type PlanInput } from './completion-plan.js';
import { loadTokenizer } from './tokenizer.js';

beforeAll(loadTokenizer);

const base: PlanInput = {
  model: 'llama-3.1-8b',
  promptText: 'Tell me about Kafka.',
  seed: 7,
  choiceIndex: 0,
  reasoning: false,
  maxTokens: undefined,
  minTokens: undefined,
  ignoreEos: false,
  stop: [],
  format: { type: 'text' },
  toolCall: null,
};

const text = (p: ReturnType<typeof planChoice>) => p.content?.join('') ?? '';

describe('planChoice', () => {
  it('is deterministic in (model, prompt, seed, choice index) and reads as sentences', () => {
    const a = planChoice(base);
    expect(planChoice(base)).toEqual(a);
    expect(text(a)).toMatch(/^[A-Z][a-z ,]+\./);
    expect(text(planChoice({ ...base, seed: 8 }))).not.toBe(text(a));
    expect(text(planChoice({ ...base, choiceIndex: 1 }))).not.toBe(text(a));
    expect(text(planChoice({ ...base, model: 'other' }))).not.toBe(text(a));
  });

  it('stops naturally after 20 to 60 tokens or so, with finish_reason stop', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = planChoice({ ...base, seed });
      expect(p.finishReason).toBe('stop');
      expect(p.completionTokens).toBeGreaterThanOrEqual(20);
      expect(p.completionTokens).toBeLessThan(NATURAL_MAX_TOKENS + 25);
      expect(text(p).endsWith('.')).toBe(true);
    }
  });

  it('cuts at max tokens with finish_reason length, and keeps a prefix of the full text', () => {
    const full = planChoice(base);
    const cut = planChoice({ ...base, maxTokens: 5 });
    expect(cut.finishReason).toBe('length');
    expect(cut.completionTokens).toBe(5);
    expect(text(full).startsWith(text(cut))).toBe(true);
    expect(planChoice({ ...base, maxTokens: 1000 }).finishReason).toBe('stop');
  });

  it('generates up to max tokens with ignore_eos, and at least min_tokens', () => {
    expect(planChoice({ ...base, maxTokens: 300, ignoreEos: true })).toMatchObject({ completionTokens: 300, finishReason: 'length' });
    expect(planChoice({ ...base, minTokens: 150 }).completionTokens).toBeGreaterThanOrEqual(150);
  });

  it('cuts before the earliest stop sequence with finish_reason stop', () => {
    const full = text(planChoice(base));
    const p = planChoice({ ...base, stop: [' the', '.'] });
    expect(p.finishReason).toBe('stop');
    expect(text(p)).toBe(full.slice(0, firstStop(full, [' the', '.'])));
    expect(text(p)).not.toContain(' the');
  });

  it('produces reasoning first, counted in the completion and in the budget', () => {
    const p = planChoice({ ...base, reasoning: true });
    expect(p.reasoningTokens).toBeGreaterThan(0);
    expect(p.completionTokens).toBe(p.reasoningTokens + (p.content?.length ?? 0));
    const starved = planChoice({ ...base, reasoning: true, maxTokens: 3 });
    expect(starved).toMatchObject({ reasoningTokens: 3, completionTokens: 3, finishReason: 'length', content: [] });
  });

  it('answers valid JSON for json_object and json_schema', () => {
    expect(JSON.parse(text(planChoice({ ...base, format: { type: 'json_object' } })))).toBeTypeOf('object');
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'], additionalProperties: false };
    const person = JSON.parse(text(planChoice({ ...base, format: { type: 'json_schema', schema } }))) as Record<string, unknown>;
    expect(typeof person.name).toBe('string');
    expect(Number.isInteger(person.age)).toBe(true);
  });

  it('calls a tool with arguments valid against its parameters', () => {
    const p = planChoice({ ...base, toolCall: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } });
    expect(p.finishReason).toBe('tool_calls');
    expect(p.content).toBeNull();
    expect(p.toolCall?.id).toMatch(/^call_[0-9a-f]{24}$/);
    const args = JSON.parse(p.toolCall!.arguments.join('')) as { city: unknown };
    expect(typeof args.city).toBe('string');
    expect(p.completionTokens).toBe(p.toolCall!.arguments.length);
  });
});

describe('chooseTool', () => {
  const tools = [{ name: 'get_weather', parameters: {} }, { name: 'search_docs', parameters: {} }];
  it('follows tool_choice', () => {
    expect(chooseTool(tools, 'required', '')?.name).toBe('get_weather');
    expect(chooseTool(tools, { name: 'search_docs' }, '')?.name).toBe('search_docs');
    expect(chooseTool(tools, 'none', 'get_weather')).toBeNull();
    expect(chooseTool(tools, 'auto', 'please search docs for kafka')?.name).toBe('search_docs');
    expect(chooseTool(tools, 'auto', 'hello')).toBeNull();
    expect(chooseTool([], 'required', '')).toBeNull();
  });
});
