import { type CommandOutcome } from './machine-engine.js';

/**
 * Cordon and drain for machines the worker does not proxy: the gateway calls the server directly,
 * so "stop taking work" can only mean telling the scheduler, through the heartbeat, to send none.
 */
export class OperatorState {
  private cordoned = false;
  private draining = false;

  apply(action: 'cordon' | 'drain' | 'uncordon'): CommandOutcome {
    switch (action) {
      case 'cordon':
        this.cordoned = true;
        return { applied: true, detail: 'cordoned' };
      case 'drain':
        // Requests already sent finish on the server; the worker cannot see when, so no "drained".
        this.draining = true;
        return { applied: true, detail: 'draining' };
      case 'uncordon':
        this.cordoned = false;
        this.draining = false;
        return { applied: true, detail: 'uncordoned' };
    }
  }

  /** What the heartbeat's `cordoned` says. */
  closed(): boolean {
    return this.cordoned || this.draining;
  }
}
