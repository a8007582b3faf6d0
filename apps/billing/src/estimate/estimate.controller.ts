import { Controller } from '@nestjs/common';
import { rpc, type CostEstimate, type CostEstimateRequest } from '@llmaas/contracts';
import { RpcFailure, RpcHandler } from '@llmaas/kafka';

import { PriceBookRepository } from '../prices/price-book.repository.js';
import { estimateCost } from './cost-estimate.js';

@Controller()
export class EstimateController {
  constructor(private readonly prices: PriceBookRepository) {}

  @RpcHandler(rpc.billingEstimate)
  estimate(request: CostEstimateRequest): CostEstimate {
    const now = new Date();
    const prices = this.prices.pricesAt(request.tenantId, now);
    if (!prices) throw new RpcFailure('unavailable', 'No price book version is in force.');
    return estimateCost(request, prices, now);
  }
}
