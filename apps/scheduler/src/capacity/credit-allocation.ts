import { type GatewayNeeds, type Grant, type WorkerCapacity } from './capacity-model.js';

/** Batch slots of `model` on each worker that can take work now (ready replicas only). */
export function slotsFor(model: string, fleet: readonly WorkerCapacity[]): Map<string, number> {
  const slots = new Map<string, number>();
  for (const w of fleet) {
    const hosted = w.models.find((m) => m.model === model && m.state === 'ready');
    if (w.available && hosted && hosted.maxRunning > 0) slots.set(w.workerId, hosted.maxRunning);
  }
  return slots;
}

/**
 * Splits every model's batch slots among the gateways, as credits (the scheduler is the only
 * authority; gateways assign within their credits without asking). Per model:
 * 1. slots in use stay with their gateway (running work is never revoked);
 * 2. requests waiting at gateways get the free slots, interactive before batch, one at a time
 *    round-robin across gateways, each from the least loaded worker;
 * 3. what is left is spread round-robin over the gateways that use the model, as headroom:
 *    the next requests start without a round trip. Idle credits of one gateway are thereby free
 *    for another's waiting requests at the next allocation.
 * A worker that went away or stopped hosting the model simply has no slots: its credits vanish.
 */
export function allocateCredits(fleet: readonly WorkerCapacity[], gateways: readonly GatewayNeeds[]): Map<string, Grant[]> {
  const endpoint = new Map(fleet.map((w) => [w.workerId, w.endpoint]));
  const engineLoad = new Map<string, number>();
  for (const w of fleet) for (const m of w.models) engineLoad.set(`${w.workerId}\u0000${m.model}`, m.running + m.waiting);
  const result = new Map<string, Grant[]>(gateways.map((g) => [g.gatewayId, []]));
  const models = new Set<string>();
  for (const g of gateways) {
    for (const h of g.holdings) models.add(h.model);
    for (const w of g.waiting) models.add(w.model);
  }

  for (const model of [...models].sort()) {
    const slots = slotsFor(model, fleet);
    const free = new Map(slots);
    const credits = new Map<string, Map<string, number>>(); // gateway → worker → credits
    const give = (gatewayId: string, workerId: string, n: number) => {
      const perWorker = credits.get(gatewayId) ?? new Map<string, number>();
      perWorker.set(workerId, (perWorker.get(workerId) ?? 0) + n);
      credits.set(gatewayId, perWorker);
      free.set(workerId, (free.get(workerId) ?? 0) - n);
    };
    // Least loaded first: most free slots, then the shortest engine queue, then id (stable).
    const leastLoaded = () => {
      let best: string | null = null;
      for (const [w, n] of free) {
        if (n <= 0) continue;
        if (best === null) {
          best = w;
          continue;
        }
        const bestFree = free.get(best) ?? 0;
        const load = (id: string) => engineLoad.get(`${id}\u0000${model}`) ?? 0;
        if (n > bestFree || (n === bestFree && (load(w) < load(best) || (load(w) === load(best) && w < best)))) best = w;
      }
      return best;
    };

    for (const g of gateways) {
      for (const h of g.holdings) {
        if (h.model !== model || h.inUse === 0) continue;
        const n = Math.min(h.inUse, free.get(h.workerId) ?? 0);
        if (n > 0) give(g.gatewayId, h.workerId, n);
      }
    }
    for (const priority of ['interactive', 'batch'] as const) {
      const need = new Map(gateways.map((g) => [g.gatewayId, g.waiting.filter((w) => w.model === model && w.priority === priority).reduce((s, w) => s + w.count, 0)]));
      let progress = true;
      while (progress) {
        progress = false;
        for (const g of gateways) {
          const n = need.get(g.gatewayId) ?? 0;
          if (n <= 0) continue;
          const worker = leastLoaded();
          if (worker === null) break;
          give(g.gatewayId, worker, 1);
          need.set(g.gatewayId, n - 1);
          progress = true;
        }
      }
    }
    const users = gateways.filter((g) => g.holdings.some((h) => h.model === model) || g.waiting.some((w) => w.model === model));
    let worker = leastLoaded();
    for (let i = 0; worker !== null && users.length > 0; i++) {
      give(users[i % users.length]!.gatewayId, worker, 1);
      worker = leastLoaded();
    }

    for (const [gatewayId, perWorker] of credits) {
      for (const [workerId, n] of perWorker) result.get(gatewayId)?.push({ workerId, endpoint: endpoint.get(workerId) ?? '', model, credits: n });
    }
  }
  for (const grants of result.values()) grants.sort((a, b) => a.model.localeCompare(b.model) || a.workerId.localeCompare(b.workerId, 'en', { numeric: true }));
  return result;
}
