import { Controller } from '@nestjs/common';
import { topics, type GatewayDemand } from '@llmaas/contracts';
import { EventHandler } from '@llmaas/kafka';

import { CapacityService } from './capacity.service.js';

@Controller()
export class DemandController {
  constructor(private readonly capacity: CapacityService) {}

  @EventHandler(topics.schedulerDemand)
  demand(demand: GatewayDemand): void {
    this.capacity.observeDemand(demand);
  }
}
