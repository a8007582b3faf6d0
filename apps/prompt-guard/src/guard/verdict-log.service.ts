import { Injectable } from '@nestjs/common';
import { topics } from '@llmaas/contracts';
import { BufferedPublisher, EventPublisher } from '@llmaas/kafka';

/** Verdicts leave for `guard.verdicts` in batches, off the answer's path. Bounded: a record, not money. */
@Injectable()
export class VerdictLog extends BufferedPublisher<typeof topics.guardVerdicts.schema> {
  constructor(events: EventPublisher) {
    super(events, topics.guardVerdicts, { maxPending: 100_000, flushEveryMs: 20, meter: 'llmaas.prompt-guard' });
  }
}
