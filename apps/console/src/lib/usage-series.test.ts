import { describe, expect, it } from 'vitest';

import { unitsToFixed } from './decimal';
import { summarizeUsage } from './usage-series';

const row = (
  day: string,
  model: string,
  item: string,
  mode: 'interactive' | 'batch',
  quantity: number,
  amountEur: string,
  records: number,
) => ({ day, model, item, mode, quantity: String(quantity), amountEur, records });

describe('summarizeUsage', () => {
  const rows = [
    row('2026-11-26', 'qwen3:0.6b', 'chat_input', 'interactive', 100, '0.00018', 3),
    row('2026-11-26', 'qwen3:0.6b', 'chat_output', 'interactive', 27, '0.000216', 3),
    row('2026-11-26', 'qwen3:0.6b', 'reasoning_output', 'interactive', 5, '0.00004', 1),
    row('2026-11-27', 'qwen3:0.6b', 'batch_input', 'batch', 40, '0.000036', 2),
    row('2026-11-27', 'qwen3:0.6b', 'batch_output', 'batch', 10, '0.00004', 2),
    row('2026-11-27', 'bge-reranker-large', 'rerank_document', 'interactive', 8, '0.000032', 2),
  ];

  it('counts a request once across its price items, per day, model and mode', () => {
    const s = summarizeUsage(rows, '2026-11-25', '2026-11-27');
    expect(s.days).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    expect(s.perDay.map((d) => d.requests)).toEqual([0, 3, 4]);
    expect(s.models.find((m) => m.model === 'qwen3:0.6b')?.requests).toBe(5);
    expect(s.total.requests).toBe(7);
  });

  it('counts tokens only for token items (not rerank documents) and splits input from output', () => {
    const s = summarizeUsage(rows, '2026-11-25', '2026-11-27');
    const qwen = s.models.find((m) => m.model === 'qwen3:0.6b')!;
    expect(qwen.inputTokens).toBe(140);
    expect(qwen.outputTokens).toBe(42);
    expect(s.perDay.map((d) => d.tokens)).toEqual([0, 132, 50]);
    expect(s.models.find((m) => m.model === 'bge-reranker-large')).toMatchObject({
      inputTokens: 0,
      outputTokens: 0,
      requests: 2,
    });
  });

  it('sums money exactly', () => {
    const s = summarizeUsage(rows, '2026-11-25', '2026-11-27');
    expect(unitsToFixed(s.total.costUnits, 6)).toBe('0.000544');
  });

  it('draws the busiest models and sums the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) =>
      row('2026-11-27', `m${i}`, 'chat_input', 'interactive', (i + 1) * 10, '0', 1),
    );
    const s = summarizeUsage(many, '2026-11-27', '2026-11-27', 5);
    expect(s.tokenSeries.map((x) => x.name)).toEqual([
      'm6',
      'm5',
      'm4',
      'm3',
      'm2',
      '2 other models',
    ]);
    expect(s.tokenSeries.at(-1)?.values).toEqual([30]);
  });
});
