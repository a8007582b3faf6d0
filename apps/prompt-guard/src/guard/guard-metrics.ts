import { Injectable } from '@nestjs/common';
import { metrics, type Attributes, type Counter } from '@opentelemetry/api';
import { type GuardVerdict } from '@llmaas/contracts';

/** A block the layers could not name (never expected: a block needs a finding). */
const UNNAMED_LAYER = 'none';

/**
 * `llmaas_guard_checks_total{decision}` and `llmaas_guard_blocks_total{layer}` (docs/monitoring.md).
 * The layer is the verdict's: the strongest finding's (structure, patterns, behaviour, learned) or
 * `opinion` when the guard model decided. Attribute objects are kept per value: nothing is
 * allocated per check.
 */
@Injectable()
export class GuardMetrics {
  private readonly checks: Counter;
  private readonly blocks: Counter;
  private readonly decisions: Record<GuardVerdict['decision'], Attributes> = { allow: { decision: 'allow' }, block: { decision: 'block' } };
  private readonly layers = new Map<string, Attributes>();

  constructor() {
    const meter = metrics.getMeter('llmaas.prompt-guard');
    this.checks = meter.createCounter('llmaas_guard_checks_total', { description: 'guard.check verdicts, by decision' });
    this.blocks = meter.createCounter('llmaas_guard_blocks_total', { description: 'Blocked prompts, by the layer that decided' });
  }

  record(verdict: GuardVerdict): void {
    this.checks.add(1, this.decisions[verdict.decision]);
    if (verdict.decision !== 'block') return;
    const layer = verdict.layer ?? UNNAMED_LAYER;
    let attributes = this.layers.get(layer);
    if (!attributes) {
      attributes = { layer };
      this.layers.set(layer, attributes);
    }
    this.blocks.add(1, attributes);
  }
}
