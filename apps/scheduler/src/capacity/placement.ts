import { type ModelSpec } from '@llmaas/contracts';

import { type WorkerCapacity } from './capacity-model.js';
import { slotsFor } from './credit-allocation.js';

export interface PlacementInputs {
  fleet: readonly WorkerCapacity[];
  /** Requests waiting for a slot, per model (summed over gateways). */
  waiting: ReadonlyMap<string, number>;
  /** Credits in use per worker and model (work the scheduler must not evict). */
  inUse: ReadonlyMap<string, number>;
  /** How to host each model (from the catalog); a model without a spec is never placed. */
  specs: ReadonlyMap<string, ModelSpec>;
  /** Loads sent and not yet visible in heartbeats: their VRAM is already spoken for. */
  pendingLoads: readonly { workerId: string; model: string; vramMiB: number }[];
  /** When each (worker, model) last had work: the least recently used idle model is evicted first. */
  lastActive: ReadonlyMap<string, number>;
}

export interface PlacementAction {
  workerId: string;
  action: 'load' | 'unload';
  model: string;
}

export const slotKey = (workerId: string, model: string) => `${workerId}\u0000${model}`;

/** VRAM to keep free beside the weights for the KV cache of a useful batch. */
export const kvReserveMiB = (spec: ModelSpec) => Math.max(2048, Math.ceil(spec.vramMiB * 0.1));

/**
 * Where to load a model that has waiting requests and no free slot (none hosts it, or every
 * replica is saturated) — one new replica per model per round, none while one is loading.
 * Best fit: the available worker whose free VRAM (after pending loads) fits weights + KV
 * reserve most tightly, keeping large holes for large models. When none fits, evict idle models
 * (no running, waiting or in-use work), least recently used first, on the worker needing the
 * fewest evictions. VRAM is never oversubscribed: a load is only proposed when it fits.
 */
export function planPlacement(inputs: PlacementInputs): PlacementAction[] {
  const actions: PlacementAction[] = [];
  const reserved = new Map<string, number>();
  for (const p of inputs.pendingLoads) reserved.set(p.workerId, (reserved.get(p.workerId) ?? 0) + p.vramMiB);
  const evicted = new Set<string>();

  for (const [model, waiting] of [...inputs.waiting].sort(([a], [b]) => a.localeCompare(b))) {
    const spec = inputs.specs.get(model);
    if (waiting <= 0 || !spec) continue;
    const loading = inputs.fleet.some((w) => w.models.some((m) => m.model === model && m.state === 'loading')) || inputs.pendingLoads.some((p) => p.model === model);
    if (loading) continue;
    const slots = [...slotsFor(model, inputs.fleet)].reduce((s, [workerId, n]) => s + Math.max(0, n - (inputs.inUse.get(slotKey(workerId, model)) ?? 0)), 0);
    if (slots > 0) continue;
    const need = spec.vramMiB + kvReserveMiB(spec);
    const candidates = inputs.fleet.filter((w) => w.available && w.placeable && !w.models.some((m) => m.model === model));
    const freeOf = (w: WorkerCapacity) => w.vramTotalMiB - w.vramUsedMiB - (reserved.get(w.workerId) ?? 0);

    const fits = candidates.filter((w) => freeOf(w) >= need).sort((a, b) => freeOf(a) - freeOf(b) || a.workerId.localeCompare(b.workerId, 'en', { numeric: true }));
    let target = fits[0];
    let evictions: string[] = [];
    if (!target) {
      let best: { worker: WorkerCapacity; evict: string[] } | null = null;
      for (const w of candidates) {
        const idle = w.models
          .filter((m) => m.state === 'ready' && m.running === 0 && m.waiting === 0 && (inputs.inUse.get(slotKey(w.workerId, m.model)) ?? 0) === 0 && (inputs.waiting.get(m.model) ?? 0) === 0 && !evicted.has(slotKey(w.workerId, m.model)))
          .sort((a, b) => (inputs.lastActive.get(slotKey(w.workerId, a.model)) ?? 0) - (inputs.lastActive.get(slotKey(w.workerId, b.model)) ?? 0));
        let free = freeOf(w);
        const evict: string[] = [];
        for (const m of idle) {
          if (free >= need) break;
          evict.push(m.model);
          free += m.vramMiB;
        }
        if (free >= need && (best === null || evict.length < best.evict.length)) best = { worker: w, evict };
      }
      if (best) {
        target = best.worker;
        evictions = best.evict;
      }
    }
    if (!target) continue; // nowhere to put it now: requests wait, and time out with 503 if nothing frees
    for (const m of evictions) {
      actions.push({ workerId: target.workerId, action: 'unload', model: m });
      evicted.add(slotKey(target.workerId, m));
      reserved.set(target.workerId, (reserved.get(target.workerId) ?? 0) - (target.models.find((x) => x.model === m)?.vramMiB ?? 0));
    }
    actions.push({ workerId: target.workerId, action: 'load', model });
    reserved.set(target.workerId, (reserved.get(target.workerId) ?? 0) + spec.vramMiB);
  }
  return actions;
}

/**
 * Why no available worker could host `spec` even if emptied (too large for every machine, or no
 * machine taking work); null when one could. Requests for such a model fail at once (503)
 * instead of waiting out their deadline.
 */
export function unplaceableReason(spec: ModelSpec & { model: string }, fleet: readonly WorkerCapacity[]): string | null {
  if (fleet.some((w) => w.available && w.models.some((m) => m.model === spec.model && m.state !== 'unloading'))) return null;
  const available = fleet.filter((w) => w.available && w.placeable);
  if (available.length === 0) return 'no worker that can load it is taking work (all down, cordoned or draining)';
  const need = spec.vramMiB + kvReserveMiB(spec);
  const largest = Math.max(...available.map((w) => w.vramTotalMiB));
  return largest < need ? `it needs ${need} MiB of VRAM and the largest available worker has ${largest} MiB` : null;
}
