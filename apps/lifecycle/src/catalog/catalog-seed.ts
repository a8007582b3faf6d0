import { modelKind, type ModelKind } from '@llmaas/contracts';

/** A model as the seed CSVs describe it, before it is stored. */
export interface SeedModel {
  id: string;
  publisher: string;
  kind: ModelKind;
  paramsBillion: number;
  contextLength: number;
  reasoning: boolean;
  productionDate: string | null;
  endOfSupportDate: string | null;
  lts: boolean;
  recommendedMigration: string | null;
  vramMiB: number;
}

/** Weights at 4 bits with overhead: about 0.6 byte per parameter (data/README.md). */
export const vramMiBFor = (paramsBillion: number): number => Math.ceil((paramsBillion * 1e9 * 0.6) / 2 ** 20);

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function rows(csv: string): Record<string, string>[] {
  const [header, ...lines] = csv.trim().split(/\r?\n/);
  const columns = (header ?? '').split(',');
  // The seed files have no quoted fields; a comma inside a value would be a malformed file.
  return lines.filter((l) => l.trim() !== '').map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== columns.length) throw new Error(`line ${i + 2}: ${cells.length} fields, expected ${columns.length}`);
    return Object.fromEntries(columns.map((c, j) => [c, cells[j]?.trim() ?? '']));
  });
}

function kindOf(value: string, line: number): ModelKind {
  const parsed = modelKind.safeParse(value);
  if (!parsed.success) throw new Error(`line ${line}: unknown kind "${value}"`);
  return parsed.data;
}

function dateOf(value: string, line: number, column: string): string | null {
  if (value === '') return null;
  if (!isoDate.test(value) || Number.isNaN(Date.parse(value))) throw new Error(`line ${line}: ${column} "${value}" is not an ISO date`);
  return value;
}

/** The production catalog (data/model-catalog.csv). */
export function parseCatalogCsv(csv: string): SeedModel[] {
  return rows(csv).map((r, i) => {
    const line = i + 2;
    const paramsBillion = Number(r.params_billion);
    if (!(paramsBillion > 0)) throw new Error(`line ${line}: params_billion "${r.params_billion}" is not a positive number`);
    return {
      id: r.model ?? '',
      publisher: r.publisher || 'unknown',
      kind: kindOf(r.kind ?? '', line),
      paramsBillion,
      contextLength: Number(r.context_length) || 8192,
      reasoning: r.reasoning === 'yes',
      productionDate: dateOf(r.production_date ?? '', line, 'production_date'),
      endOfSupportDate: dateOf(r.end_of_support_date ?? '', line, 'end_of_support_date'),
      lts: r.lts === 'yes',
      recommendedMigration: r.recommended_migration || null,
      vramMiB: vramMiBFor(paramsBillion),
    };
  });
}

/** Parameter count read from a tag such as `qwen3:14b`, `qwen2.5:0.5b` or `cogito:300m`. */
export function paramsFromName(id: string): number | null {
  const match = /:(?:[a-z]*-)?(\d+(?:\.\d+)?)([bm])\b/i.exec(id);
  if (!match?.[1]) return null;
  const value = Number(match[1]);
  return match[2]?.toLowerCase() === 'm' ? value / 1000 : value;
}

/** Models already removed (data/deprecated-models.csv): their deprecation date is their DSP. */
export function parseDeprecatedCsv(csv: string): SeedModel[] {
  return rows(csv).map((r, i) => {
    const line = i + 2;
    const id = r.model ?? '';
    const paramsBillion = paramsFromName(id) ?? 1;
    return {
      id,
      publisher: 'unknown',
      kind: kindOf(r.kind ?? '', line),
      paramsBillion,
      contextLength: 32768,
      reasoning: false,
      productionDate: null,
      endOfSupportDate: dateOf(r.deprecation_date ?? '', line, 'deprecation_date'),
      lts: false,
      recommendedMigration: null,
      vramMiB: vramMiBFor(paramsBillion),
    };
  });
}
