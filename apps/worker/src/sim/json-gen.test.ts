import { describe, expect, it } from 'vitest';

import { generateJson } from './json-gen.js';
import { rngFrom } from './text-gen.js';

describe('generateJson', () => {
  it('fills objects with required properties of the right types', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 3, maxLength: 20 },
        age: { type: 'integer', minimum: 18, maximum: 99 },
        score: { type: 'number', minimum: 0, maximum: 1 },
        active: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
        level: { type: 'string', enum: ['low', 'high'] },
        address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        nickname: { type: ['string', 'null'] },
      },
      required: ['name', 'age', 'score', 'active', 'tags', 'level', 'address', 'nickname'],
      additionalProperties: false,
    };
    for (let seed = 0; seed < 30; seed++) {
      const v = generateJson(schema, rngFrom(seed)) as Record<string, unknown>;
      expect(Object.keys(v).sort()).toEqual(Object.keys(schema.properties).sort());
      expect(typeof v.name).toBe('string');
      expect((v.name as string).length).toBeGreaterThanOrEqual(3);
      expect((v.name as string).length).toBeLessThanOrEqual(20);
      expect(Number.isInteger(v.age)).toBe(true);
      expect(v.age as number).toBeGreaterThanOrEqual(18);
      expect(v.age as number).toBeLessThanOrEqual(99);
      expect(v.score as number).toBeGreaterThanOrEqual(0);
      expect(v.score as number).toBeLessThanOrEqual(1);
      expect(typeof v.active).toBe('boolean');
      expect((v.tags as unknown[]).length).toBeGreaterThanOrEqual(2);
      expect((v.tags as unknown[]).length).toBeLessThanOrEqual(4);
      expect(['low', 'high']).toContain(v.level);
      expect(typeof (v.address as { city: unknown }).city).toBe('string');
      expect(typeof v.nickname).toBe('string');
    }
  });

  it('is deterministic for a seed and honours const and anyOf', () => {
    const schema = { anyOf: [{ type: 'null' }, { type: 'object', properties: { kind: { const: 'x' } }, required: ['kind'] }] };
    expect(generateJson(schema, rngFrom(1))).toEqual({ kind: 'x' });
    expect(generateJson({ type: 'array', items: { type: 'number' } }, rngFrom(5))).toEqual(generateJson({ type: 'array', items: { type: 'number' } }, rngFrom(5)));
  });
});
