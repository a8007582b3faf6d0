import { BadRequestException, Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import { guardCheckRequest, rpc, type GuardCheckRequest, type GuardVerdict } from '@llmaas/contracts';
import { RpcHandler } from '@llmaas/kafka';
import { extractTraceContext, withSpan } from '@llmaas/telemetry';

import { behaviourFindings } from '../layers/behaviour.js';
import { isBorderline, OPINION, opinionText, withOpinion, type SecondOpinion } from '../opinion/second-opinion.js';
import { GuardMetrics } from './guard-metrics.js';
import { PromptHistory } from './prompt-history.service.js';
import { VerdictLog } from './verdict-log.service.js';
import { analyseWindow, judge } from './verdict.js';

/**
 * `guard.check`, two ways: over HTTP for the gateway's hot path (a loopback or service-network
 * round trip costs a fraction of a Kafka request/reply — decision 0007), and as a Kafka RPC for
 * callers off the hot path. Same judge, same verdict log.
 */
@Controller()
export class GuardController {
  constructor(
    private readonly verdicts: VerdictLog,
    private readonly history: PromptHistory,
    private readonly metrics: GuardMetrics,
    @Inject(OPINION) private readonly opinion: SecondOpinion | null,
  ) {}

  @Post('v1/guard/check')
  @HttpCode(200)
  checkHttp(@Body() body: unknown, @Headers() headers: Record<string, string>): Promise<GuardVerdict> {
    const request = guardCheckRequest.safeParse(body);
    if (!request.success) throw new BadRequestException(request.error.issues[0]?.message ?? 'invalid guard request');
    // The gateway's request span is the parent: one chat completion is one trace.
    return withSpan('guard.check', { kind: SpanKind.SERVER, parent: extractTraceContext(headers) }, () => this.check(request.data));
  }

  @RpcHandler(rpc.guardCheck)
  checkRpc(request: GuardCheckRequest): Promise<GuardVerdict> {
    return this.check(request);
  }

  /**
   * Layers 1, 2 and 4 on every text; layer 3 on the latest one (the new turn) against the key's
   * history; a guard model's opinion, when one is configured, on a score close to the threshold.
   */
  private async check(request: GuardCheckRequest): Promise<GuardVerdict> {
    const latest = request.texts[request.texts.length - 1] ?? '';
    const history = await this.history.record(request.tenantId, request.keyId, latest);
    let verdict = judge(request, history ? behaviourFindings(latest, history, analyseWindow) : []);
    if (this.opinion && isBorderline(verdict.score, request.threshold, this.opinion.settings.margin)) {
      verdict = withOpinion(verdict, await this.opinion.ask(opinionText(request.texts)), this.opinion.settings.model);
    }
    this.verdicts.add(verdict);
    this.metrics.record(verdict);
    return verdict;
  }
}
