import { api } from './admin.js';

interface AdminModel {
  id: string;
  kind: string;
  phase: string;
  stability: string;
  paramsBillion: number;
  reasoning: boolean;
}

let catalog: AdminModel[] | null = null;

/**
 * The smallest public model of a kind that is served today (production or notice): tests pick
 * their models from the catalog as it is on the day they run, not from a fixed list that the
 * lifecycle would retire under them.
 */
export async function smallestServed(kind: string, filter: (m: AdminModel) => boolean = () => true): Promise<string> {
  catalog ??= (await api<{ data: AdminModel[] }>('GET', '/admin/v1/models')).body.data;
  const served = catalog.filter((m) => m.kind === kind && m.stability === 'stable' && (m.phase === 'production' || m.phase === 'notice') && filter(m));
  served.sort((a, b) => a.paramsBillion - b.paramsBillion || a.id.localeCompare(b.id));
  const model = served[0];
  if (!model) throw new Error(`no served ${kind} model in the catalog today`);
  return model.id;
}
