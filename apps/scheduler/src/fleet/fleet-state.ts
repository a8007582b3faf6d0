import { type WorkerHeartbeat } from '@llmaas/contracts';

export interface WorkerView extends WorkerHeartbeat {
  up: boolean;
  lastSeenMsAgo: number;
}

interface Entry {
  beat: WorkerHeartbeat;
  receivedAt: number;
}

/**
 * The scheduler's picture of the fleet, rebuilt from heartbeats alone (nothing durable): a
 * restarted scheduler knows every live worker again after one heartbeat interval.
 * Pure: time is passed in, so tests drive it without waiting.
 */
export class FleetState {
  private readonly workers = new Map<string, Entry>();

  constructor(private readonly downAfterMs: number) {}

  /** Records a beat; returns false for a stale or reordered one (lower seq from the same process). */
  observe(beat: WorkerHeartbeat, now: number): boolean {
    const known = this.workers.get(beat.workerId);
    const sameProcess = known !== undefined && known.beat.startedAt === beat.startedAt;
    if (sameProcess && beat.seq <= known.beat.seq) return false;
    this.workers.set(beat.workerId, { beat, receivedAt: now });
    return true;
  }

  isUp(workerId: string, now: number): boolean {
    const entry = this.workers.get(workerId);
    return entry !== undefined && now - entry.receivedAt <= this.downAfterMs;
  }

  view(now: number): WorkerView[] {
    return [...this.workers.values()]
      .map(({ beat, receivedAt }) => ({ ...beat, up: now - receivedAt <= this.downAfterMs, lastSeenMsAgo: Math.max(0, now - receivedAt) }))
      .sort((a, b) => a.workerId.localeCompare(b.workerId, 'en', { numeric: true }));
  }

  /** Workers silent for longer than `forgetAfterMs` are dropped from the view entirely. */
  forget(now: number, forgetAfterMs: number): string[] {
    const gone: string[] = [];
    for (const [id, entry] of this.workers) {
      if (now - entry.receivedAt > forgetAfterMs) {
        this.workers.delete(id);
        gone.push(id);
      }
    }
    return gone;
  }
}
