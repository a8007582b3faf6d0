import { type UsageRow } from '../api/types';
import { daysBetween } from './format';
import { sumDecimals, toUnits } from './decimal';

// The billing usage report (`group_by=day,model,item,mode`) turned into what the charts draw.
// Every request leaves one ledger row per price item it used (input, output, …), so a request
// count is the largest record count among the items of one day, model and mode — not their sum.

const tokenItems = new Set([
  'chat_input',
  'chat_output',
  'reasoning_output',
  'embedding_input',
  'batch_input',
  'batch_output',
]);
const inputItems = new Set(['chat_input', 'embedding_input', 'batch_input']);

export interface ModelTotals {
  model: string;
  inputTokens: number;
  outputTokens: number;
  requests: number;
  costUnits: bigint;
}

export interface DayTotals {
  day: string;
  tokens: number;
  requests: number;
  costUnits: bigint;
}

export interface UsageSummary {
  days: string[];
  perDay: DayTotals[];
  models: ModelTotals[];
  /** Tokens per day for the busiest models, the rest summed as "other models". */
  tokenSeries: { name: string; values: number[] }[];
  total: { tokens: number; requests: number; costUnits: bigint };
}

export function summarizeUsage(
  rows: readonly UsageRow[],
  from: string,
  to: string,
  topModels = 5,
): UsageSummary {
  const days = daysBetween(from, to);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const perDay: DayTotals[] = days.map((day) => ({ day, tokens: 0, requests: 0, costUnits: 0n }));
  const models = new Map<string, ModelTotals & { tokensPerDay: number[] }>();
  const requestsOf = new Map<string, number>(); // day|model|mode → max records

  for (const row of rows) {
    const model = row.model ?? 'unknown';
    const i = row.day !== undefined ? dayIndex.get(row.day) : undefined;
    const m = models.get(model) ?? {
      model,
      inputTokens: 0,
      outputTokens: 0,
      requests: 0,
      costUnits: 0n,
      tokensPerDay: days.map(() => 0),
    };
    models.set(model, m);
    const cost = toUnits(row.amountEur);
    m.costUnits += cost;
    const item = row.item ?? '';
    if (tokenItems.has(item)) {
      const tokens = Number(row.quantity);
      if (inputItems.has(item)) m.inputTokens += tokens;
      else m.outputTokens += tokens;
      if (i !== undefined) {
        m.tokensPerDay[i] = (m.tokensPerDay[i] ?? 0) + tokens;
        perDay[i]!.tokens += tokens;
      }
    }
    if (i !== undefined) perDay[i]!.costUnits += cost;
    const key = `${row.day ?? ''}|${model}|${row.mode ?? ''}`;
    requestsOf.set(key, Math.max(requestsOf.get(key) ?? 0, row.records));
  }
  for (const [key, count] of requestsOf) {
    const [day = '', model = ''] = key.split('|');
    const m = models.get(model);
    if (m) m.requests += count;
    const i = dayIndex.get(day);
    if (i !== undefined) perDay[i]!.requests += count;
  }

  const ranked = [...models.values()].sort(
    (a, b) =>
      b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) ||
      (b.costUnits > a.costUnits ? 1 : b.costUnits < a.costUnits ? -1 : 0) ||
      a.model.localeCompare(b.model),
  );
  const top = ranked.slice(0, topModels);
  const rest = ranked.slice(topModels);
  const tokenSeries = top.map((m) => ({ name: m.model, values: m.tokensPerDay }));
  if (rest.length > 0)
    tokenSeries.push({
      name: `${rest.length} other model${rest.length > 1 ? 's' : ''}`,
      values: days.map((_, i) => rest.reduce((s, m) => s + (m.tokensPerDay[i] ?? 0), 0)),
    });

  return {
    days,
    perDay,
    models: ranked.map(({ tokensPerDay: _tokensPerDay, ...totals }) => totals),
    tokenSeries,
    total: {
      tokens: perDay.reduce((s, d) => s + d.tokens, 0),
      requests: ranked.reduce((s, m) => s + m.requests, 0),
      costUnits: sumDecimals(rows.map((r) => r.amountEur)),
    },
  };
}
