import { type CreditGrants, type GatewayDemand, type PriorityClass } from '@llmaas/contracts';

/** A slot on one worker's batch, held for one request until `release`. */
export interface Lease {
  readonly workerId: string;
  readonly endpoint: string;
  readonly model: string;
  release(): void;
}

export class NoCapacityError extends Error {
  constructor(
    readonly model: string,
    readonly waitedMs: number,
    /** Set when the scheduler said no worker can host the model now (rather than a timeout). */
    readonly reason: string | null = null,
  ) {
    super(reason ? `no worker can host ${model}: ${reason}` : `no capacity for ${model} within ${waitedMs} ms`);
    this.name = 'NoCapacityError';
  }
}

interface Slot {
  endpoint: string;
  credits: number;
  inUse: number;
}

interface Waiter {
  model: string;
  priority: PriorityClass;
  tenantId: string;
  resolve: (lease: Lease) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  since: number;
}

/**
 * A holder's share of the fleet (a gateway's, or the batch service's): credits (batch slots on
 * workers) granted by the scheduler.
 * A request takes a slot on the least used worker holding the model (in proportion to its slots), locally, in microseconds;
 * without a free slot it waits, interactive before batch and tenants served in turn, until a
 * slot frees here or the scheduler grants more (asked at once through `onShortage`).
 * A slot is taken only while fewer are in use than granted: when the scheduler shrinks a grant
 * below the slots in use, the slots released are not retaken here (they go to other holders).
 */
export class CreditPool {
  private readonly slots = new Map<string, Map<string, Slot>>(); // model → worker → slot
  private readonly waiters: Waiter[] = [];
  private readonly lastServed = new Map<string, number>(); // tenant → turn, for fair share
  private turn = 0;
  private tableSeq = -1;
  private tableFrom = '';

  constructor(
    private readonly onShortage: () => void,
    /** Reported with the demand: the scheduler caps what batch-class holders may hold. */
    private readonly holderClass: PriorityClass = 'interactive',
  ) {}

  /** Applies the scheduler's table for this gateway (older tables are ignored). */
  apply(table: CreditGrants): void {
    const newer = table.schedulerStartedAt !== this.tableFrom ? Date.parse(table.schedulerStartedAt) >= Date.parse(this.tableFrom || '1970-01-01T00:00:00Z') : table.seq > this.tableSeq;
    if (!newer) return;
    this.tableFrom = table.schedulerStartedAt;
    this.tableSeq = table.seq;
    const granted = new Map<string, Map<string, { endpoint: string; credits: number }>>();
    for (const g of table.grants) {
      const perWorker = granted.get(g.model) ?? new Map<string, { endpoint: string; credits: number }>();
      perWorker.set(g.workerId, { endpoint: g.endpoint, credits: g.credits });
      granted.set(g.model, perWorker);
    }
    // Slots in use stay until released, even when the grant shrank or vanished (worker gone).
    for (const [model, perWorker] of this.slots) {
      for (const [workerId, slot] of perWorker) {
        const next = granted.get(model)?.get(workerId);
        slot.credits = next?.credits ?? 0;
        if (next) slot.endpoint = next.endpoint;
        if (slot.credits === 0 && slot.inUse === 0) perWorker.delete(workerId);
      }
      if (perWorker.size === 0) this.slots.delete(model);
    }
    for (const [model, perWorker] of granted) {
      const mine = this.slots.get(model) ?? new Map<string, Slot>();
      for (const [workerId, g] of perWorker) if (!mine.has(workerId)) mine.set(workerId, { endpoint: g.endpoint, credits: g.credits, inUse: 0 });
      if (mine.size > 0) this.slots.set(model, mine);
    }
    this.serveWaiters();
    for (const { model, reason } of table.unplaceable) {
      for (const w of this.waiters.filter((x) => x.model === model)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.reject(new NoCapacityError(model, Date.now() - w.since, reason));
      }
    }
  }

  /** A slot now if one is free; otherwise waits up to `waitMs` (then NoCapacityError). */
  acquire(model: string, priority: PriorityClass, tenantId: string, waitMs: number): Promise<Lease> {
    if (!this.waiters.some((w) => w.model === model)) {
      const lease = this.take(model);
      if (lease) {
        this.lastServed.set(tenantId, ++this.turn);
        return Promise.resolve(lease);
      }
    }
    return new Promise<Lease>((resolve, reject) => {
      const waiter: Waiter = {
        model,
        priority,
        tenantId,
        resolve,
        reject,
        since: Date.now(),
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new NoCapacityError(model, Date.now() - waiter.since));
        }, waitMs),
      };
      this.waiters.push(waiter);
      this.onShortage();
    });
  }

  /** What the scheduler needs to know: holdings and waiting requests. */
  demand(holderId: string): GatewayDemand {
    const holdings: GatewayDemand['holdings'] = [];
    for (const [model, perWorker] of this.slots) for (const [workerId, s] of perWorker) holdings.push({ workerId, model, credits: s.credits, inUse: s.inUse });
    const counts = new Map<string, { model: string; priority: PriorityClass; count: number }>();
    for (const w of this.waiters) {
      const key = `${w.model}\u0000${w.priority}`;
      const entry = counts.get(key) ?? { model: w.model, priority: w.priority, count: 0 };
      entry.count += 1;
      counts.set(key, entry);
    }
    return { gatewayId: holderId, holderClass: this.holderClass, holdings, waiting: [...counts.values()], sentAt: new Date().toISOString() };
  }

  get waiting(): number {
    return this.waiters.length;
  }

  private take(model: string): Lease | null {
    const perWorker = this.slots.get(model);
    if (!perWorker) return null;
    // The least used replica in proportion to its slots: a small GPU with few slots gets its share
    // of the work too, instead of waiting until a large one is nearly full.
    let best: [string, Slot] | null = null;
    let bestUse = Infinity;
    for (const entry of perWorker) {
      const { credits, inUse } = entry[1];
      if (inUse >= credits) continue;
      const use = (inUse + 1) / credits;
      if (use < bestUse) {
        best = entry;
        bestUse = use;
      }
    }
    if (!best) return null;
    const [workerId, slot] = best;
    slot.inUse += 1;
    let released = false;
    return {
      workerId,
      endpoint: slot.endpoint,
      model,
      release: () => {
        if (released) return;
        released = true;
        slot.inUse -= 1;
        if (slot.credits === 0 && slot.inUse === 0) perWorker.delete(workerId);
        this.serveWaiters();
      },
    };
  }

  /** Next waiter: interactive first; within a class, the tenant served longest ago; then arrival. */
  private serveWaiters(): void {
    for (;;) {
      const ready = this.waiters.filter((w) => (this.slots.get(w.model)?.size ?? 0) > 0);
      if (ready.length === 0) return;
      ready.sort((a, b) => (a.priority === b.priority ? 0 : a.priority === 'interactive' ? -1 : 1) || (this.lastServed.get(a.tenantId) ?? 0) - (this.lastServed.get(b.tenantId) ?? 0) || a.since - b.since);
      let served = false;
      for (const w of ready) {
        const lease = this.take(w.model);
        if (!lease) continue;
        this.waiters.splice(this.waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        this.lastServed.set(w.tenantId, ++this.turn);
        w.resolve(lease);
        served = true;
        break;
      }
      if (!served) return;
    }
  }
}
