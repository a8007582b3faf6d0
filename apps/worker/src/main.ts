import { runService } from '@llmaas/service-kit';

import { FleetCommandsController } from './fleet/fleet-commands.controller.js';
import { MachinesService } from './fleet/machines.service.js';
import { workerEnv } from './worker.config.js';

await runService({
  name: 'worker',
  defaultPort: 9107,
  env: workerEnv,
  consumes: true,
  // Every worker process must see every command (it filters by worker id), so no shared group.
  consumerGroup: 'per-instance',
  modules: () => [{ module: class MachinesModule {}, providers: [MachinesService], controllers: [FleetCommandsController] }],
});
