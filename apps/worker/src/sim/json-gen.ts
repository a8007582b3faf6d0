import { intBetween, pick, type Rng, words } from './text-gen.js';

/**
 * A small JSON-Schema instance generator: enough of the spec for structured outputs and tool
 * arguments (type, properties, required, items, enum, const, anyOf/oneOf, numeric and length
 * bounds). Optional properties appear at random, required ones always; additionalProperties are
 * never invented, so strict schemas are satisfied.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type Schema = Record<string, unknown>;

function asSchema(value: unknown): Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {};
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function typeOf(schema: Schema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string');
    return types.find((t) => t !== 'null') ?? types[0];
  }
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

export function generateJson(schemaInput: unknown, r: Rng, depth = 0): JsonValue {
  const schema = asSchema(schemaInput);
  if ('const' in schema) return schema.const as JsonValue;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return pick(r, schema.enum as JsonValue[]);
  const alternatives = (schema.anyOf ?? schema.oneOf);
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const nonNull = alternatives.filter((a) => asSchema(a).type !== 'null');
    return generateJson(nonNull[0] ?? alternatives[0], r, depth);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged: Schema = {};
    for (const part of schema.allOf) Object.assign(merged, asSchema(part));
    return generateJson(merged, r, depth);
  }
  switch (typeOf(schema)) {
    case 'string':
      return stringFor(schema, r);
    case 'integer': {
      const min = Math.ceil(num(schema.minimum) ?? (num(schema.exclusiveMinimum) ?? -1) + 1);
      const max = Math.floor(num(schema.maximum) ?? (num(schema.exclusiveMaximum) ?? Math.max(min, 100) + 1) - 1);
      return max >= min ? intBetween(r, min, max) : min;
    }
    case 'number': {
      const min = num(schema.minimum) ?? num(schema.exclusiveMinimum) ?? 0;
      const max = num(schema.maximum) ?? num(schema.exclusiveMaximum) ?? Math.max(min, 100);
      const value = Math.round((min + r() * (max - min)) * 100) / 100;
      return Math.min(Math.max(value, min), max);
    }
    case 'boolean':
      return r() < 0.5;
    case 'null':
      return null;
    case 'array': {
      const minItems = num(schema.minItems) ?? 1;
      const maxItems = Math.max(minItems, num(schema.maxItems) ?? Math.max(minItems, 3));
      const count = depth > 4 ? minItems : intBetween(r, minItems, maxItems);
      return Array.from({ length: count }, () => generateJson(schema.items, r, depth + 1));
    }
    case 'object': {
      const properties = asSchema(schema.properties);
      const required = new Set(Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === 'string') : []);
      const out: Record<string, JsonValue> = {};
      for (const [key, sub] of Object.entries(properties)) {
        if (required.has(key) || (depth < 4 && r() < 0.5)) out[key] = generateJson(sub, r, depth + 1);
      }
      return out;
    }
    case undefined:
    default:
      // No type at all: any JSON value is valid; a short string reads best.
      return words(r, 2);
  }
}

function stringFor(schema: Schema, r: Rng): string {
  switch (schema.format) {
    case 'date':
      return `2026-${String(intBetween(r, 1, 12)).padStart(2, '0')}-${String(intBetween(r, 1, 28)).padStart(2, '0')}`;
    case 'date-time':
      return `2026-${String(intBetween(r, 1, 12)).padStart(2, '0')}-${String(intBetween(r, 1, 28)).padStart(2, '0')}T12:00:00Z`;
    case 'email':
      return `${words(r, 1)}@example.com`;
    case 'uri':
      return `https://example.com/${words(r, 1)}`;
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    default:
      break;
  }
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength) ?? Infinity;
  let text = words(r, intBetween(r, 1, 4));
  while (text.length < minLength) text += ` ${words(r, 1)}`;
  return text.slice(0, maxLength);
}
