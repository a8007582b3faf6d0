import { type PriorityClass } from '@llmaas/contracts';

import { type GatewayNeeds, type Grant, type WorkerCapacity } from './capacity-model.js';

export interface AllocationOptions {
  /** Share of each worker's slots for a model that batch-class holders may not hold (BATCH_RESERVE_FRACTION). */
  batchReserveFraction: number;
}

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
 * Slots of one worker (for one model) that batch-class holders may not hold, so that interactive
 * requests find a free credit at once while batch work saturates the rest:
 * max(1, ceil(slots × fraction)), always leaving batch at least one slot; none when the fraction
 * is 0. A single slot cannot be split: it is lent to batch while no interactive holder uses or
 * waits for the model (batch must progress on an otherwise idle worker), and reserved otherwise.
 */
export function batchReserve(slots: number, fraction: number, interactiveActive: boolean): number {
  if (fraction <= 0 || slots <= 0) return 0;
  if (slots === 1) return interactiveActive ? 1 : 0;
  return Math.min(slots - 1, Math.max(1, Math.ceil(slots * fraction)));
}

/**
 * Splits every model's batch slots among the credit holders (gateways, and the batch service as
 * a batch-class holder), as credits (the scheduler is the only authority; holders assign within
 * their credits without asking). Per model:
 * 1. slots in use stay with their holder (running work is never revoked) and count against the
 *    worker's slots; a batch holder's credits are capped to its share (slots − `batchReserve`),
 *    so slots it releases beyond that return to the pool instead of being retaken;
 * 2. requests waiting at interactive holders get the free slots, interactive before batch
 *    priority, one at a time round-robin across holders, each from the least loaded worker. If
 *    some still wait with nothing free, batch holders' credits shrink below their slots in use
 *    by that many: the next slots they release go to those requests at the next allocation.
 *    Then batch holders' waiting lines get free slots, within the batch share only;
 * 3. what is left is spread round-robin over the interactive holders that use the model, as
 *    headroom: the next requests start without a round trip. A batch holder gets none (it
 *    reports its waiting lines), so the reserve stays with interactive traffic. Idle credits of
 *    one holder are thereby free for another's waiting requests at the next allocation.
 * A worker that went away or stopped hosting the model simply has no slots: its credits vanish.
 */
export function allocateCredits(fleet: readonly WorkerCapacity[], gateways: readonly GatewayNeeds[], options: AllocationOptions): Map<string, Grant[]> {
  const endpoint = new Map(fleet.map((w) => [w.workerId, w.endpoint]));
  const engineLoad = new Map<string, number>();
  for (const w of fleet) for (const m of w.models) engineLoad.set(`${w.workerId}\u0000${m.model}`, m.running + m.waiting);
  const result = new Map<string, Grant[]>(gateways.map((g) => [g.gatewayId, []]));
  const interactiveHolders = gateways.filter((g) => g.holderClass !== 'batch');
  const batchHolders = gateways.filter((g) => g.holderClass === 'batch');
  const models = new Set<string>();
  for (const g of gateways) {
    for (const h of g.holdings) models.add(h.model);
    for (const w of g.waiting) models.add(w.model);
  }

  for (const model of [...models].sort()) {
    const slots = slotsFor(model, fleet);
    const free = new Map(slots);
    const interactiveActive = interactiveHolders.some((g) => g.waiting.some((w) => w.model === model) || g.holdings.some((h) => h.model === model && h.inUse > 0));
    // Credits batch holders may still be given per worker (their share minus what they got).
    const batchRoom = new Map([...slots].map(([w, n]) => [w, n - batchReserve(n, options.batchReserveFraction, interactiveActive)]));
    const credits = new Map<string, Map<string, number>>(); // holder → worker → credits
    const credit = (g: GatewayNeeds, workerId: string, n: number) => {
      const perWorker = credits.get(g.gatewayId) ?? new Map<string, number>();
      perWorker.set(workerId, (perWorker.get(workerId) ?? 0) + n);
      credits.set(g.gatewayId, perWorker);
      if (g.holderClass === 'batch') batchRoom.set(workerId, (batchRoom.get(workerId) ?? 0) - n);
    };
    const occupy = (workerId: string, n: number) => free.set(workerId, (free.get(workerId) ?? 0) - n);
    // Least loaded first: most free slots, then the shortest engine queue, then id (stable).
    const leastLoaded = (eligible: (workerId: string) => boolean) => {
      let best: string | null = null;
      for (const [w, n] of free) {
        if (n <= 0 || !eligible(w)) continue;
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
    const anyWorker = () => true;
    const withinBatchShare = (w: string) => (batchRoom.get(w) ?? 0) > 0;
    /** Free slots to waiting requests, one at a time round-robin across holders; returns those left waiting. */
    const serveWaiting = (holders: readonly GatewayNeeds[], priorities: readonly PriorityClass[], eligible: (workerId: string) => boolean) => {
      let unmet = 0;
      for (const priority of priorities) {
        const need = new Map(holders.map((g) => [g.gatewayId, g.waiting.filter((w) => w.model === model && w.priority === priority).reduce((s, w) => s + w.count, 0)]));
        let progress = true;
        while (progress) {
          progress = false;
          for (const g of holders) {
            const n = need.get(g.gatewayId) ?? 0;
            if (n <= 0) continue;
            const worker = leastLoaded(eligible);
            if (worker === null) break;
            occupy(worker, 1);
            credit(g, worker, 1);
            need.set(g.gatewayId, n - 1);
            progress = true;
          }
        }
        for (const n of need.values()) unmet += n;
      }
      return unmet;
    };

    // 1. In use stays (interactive holders first should a worker have shrunk below its work).
    for (const g of [...interactiveHolders, ...batchHolders]) {
      for (const h of g.holdings) {
        if (h.model !== model || h.inUse === 0) continue;
        const n = Math.min(h.inUse, free.get(h.workerId) ?? 0);
        if (n <= 0) continue;
        occupy(h.workerId, n);
        const granted = g.holderClass === 'batch' ? Math.min(n, Math.max(0, batchRoom.get(h.workerId) ?? 0)) : n;
        if (granted > 0) credit(g, h.workerId, granted);
      }
    }
    // 2. Waiting requests: interactive holders' first, on any free slot.
    let shortfall = serveWaiting(interactiveHolders, ['interactive', 'batch'], anyWorker);
    while (shortfall > 0) {
      // Nothing free for them: the batch holder with the most credits on one worker gives one up.
      let most: { perWorker: Map<string, number>; workerId: string; n: number } | null = null;
      for (const g of batchHolders) {
        const perWorker = credits.get(g.gatewayId);
        for (const [workerId, n] of perWorker ?? []) if (perWorker && n > (most?.n ?? 0)) most = { perWorker, workerId, n };
      }
      if (most === null) break;
      most.perWorker.set(most.workerId, most.n - 1);
      shortfall -= 1;
    }
    serveWaiting(batchHolders, ['interactive', 'batch'], withinBatchShare);
    // 3. Headroom, to interactive holders only.
    const users = interactiveHolders.filter((g) => g.holdings.some((h) => h.model === model) || g.waiting.some((w) => w.model === model));
    let worker = leastLoaded(anyWorker);
    for (let i = 0; worker !== null && users.length > 0; i++) {
      occupy(worker, 1);
      credit(users[i % users.length]!, worker, 1);
      worker = leastLoaded(anyWorker);
    }

    for (const [gatewayId, perWorker] of credits) {
      for (const [workerId, n] of perWorker) if (n > 0) result.get(gatewayId)?.push({ workerId, endpoint: endpoint.get(workerId) ?? '', model, credits: n });
    }
  }
  for (const grants of result.values()) grants.sort((a, b) => a.model.localeCompare(b.model) || a.workerId.localeCompare(b.workerId, 'en', { numeric: true }));
  return result;
}
