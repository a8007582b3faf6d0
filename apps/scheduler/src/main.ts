import { rpc } from '@llmaas/contracts';
import { CatalogDirectory, runService } from '@llmaas/service-kit';

import { CapacityService } from './capacity/capacity.service.js';
import { DemandController } from './capacity/demand.controller.js';
import { FleetController } from './fleet/fleet.controller.js';
import { FleetService } from './fleet/fleet.service.js';
import { schedulerEnv } from './scheduler.config.js';

await runService({
  name: 'scheduler',
  defaultPort: 9103,
  env: schedulerEnv,
  status: rpc.schedulerStatus,
  consumes: true,
  modules: () => [],
  controllers: [FleetController, DemandController],
  providers: [FleetService, CatalogDirectory, CapacityService],
});
