import { Controller } from '@nestjs/common';
import { topics, type FleetCommand } from '@llmaas/contracts';
import { EventHandler } from '@llmaas/kafka';

import { MachinesService } from './machines.service.js';

@Controller()
export class FleetCommandsController {
  constructor(private readonly machines: MachinesService) {}

  @EventHandler(topics.fleetCommands)
  command(command: FleetCommand): void {
    this.machines.apply(command);
  }
}
