import { Controller } from '@nestjs/common';
import { rpc, topics, type GuardCheckRequest, type GuardVerdict } from '@llmaas/contracts';
import { EventPublisher, RpcHandler } from '@llmaas/kafka';

import { judge } from './verdict.js';

@Controller()
export class GuardController {
  constructor(private readonly events: EventPublisher) {}

  /** Answers at once; the verdict is also published on `guard.verdicts` (off the reply's path). */
  @RpcHandler(rpc.guardCheck)
  check(request: GuardCheckRequest): GuardVerdict {
    const verdict = judge(request);
    void this.events.publish(topics.guardVerdicts, verdict).catch(() => undefined);
    return verdict;
  }
}
