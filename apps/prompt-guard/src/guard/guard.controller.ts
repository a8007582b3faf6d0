import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { guardCheckRequest, rpc, type GuardCheckRequest, type GuardVerdict } from '@llmaas/contracts';
import { RpcHandler } from '@llmaas/kafka';

import { VerdictLog } from './verdict-log.service.js';
import { judge } from './verdict.js';

/**
 * `guard.check`, two ways: over HTTP for the gateway's hot path (a loopback or service-network
 * round trip costs a fraction of a Kafka request/reply — decision 0007), and as a Kafka RPC for
 * callers off the hot path. Same judge, same verdict log.
 */
@Controller()
export class GuardController {
  constructor(private readonly verdicts: VerdictLog) {}

  @Post('v1/guard/check')
  @HttpCode(200)
  checkHttp(@Body() body: unknown): GuardVerdict {
    const request = guardCheckRequest.safeParse(body);
    if (!request.success) throw new BadRequestException(request.error.issues[0]?.message ?? 'invalid guard request');
    return this.check(request.data);
  }

  @RpcHandler(rpc.guardCheck)
  checkRpc(request: GuardCheckRequest): GuardVerdict {
    return this.check(request);
  }

  private check(request: GuardCheckRequest): GuardVerdict {
    const verdict = judge(request);
    this.verdicts.add(verdict);
    return verdict;
  }
}
