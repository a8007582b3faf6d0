import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { FleetController } from './fleet/fleet.controller.js';
import { FleetService } from './fleet/fleet.service.js';
import { schedulerEnv } from './scheduler.config.js';

await runService({
  name: 'scheduler',
  defaultPort: 9103,
  env: schedulerEnv,
  status: rpc.schedulerStatus,
  consumes: true,
  modules: () => [{ module: class FleetModule {}, providers: [FleetService], controllers: [FleetController] }],
});
