import { workerHeartbeat, type FleetCommand } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';

import { parseFleetSpec } from './fleet-spec.js';
import { SimMachine } from './sim-machine.js';

const spec = { kind: 'chat' as const, paramsBillion: 8, contextLength: 8192, reasoning: false, vramMiB: 16_000 };
const command = (action: FleetCommand['action'], extra: Partial<FleetCommand> = {}): FleetCommand => ({
  commandId: 'c1',
  workerId: 'worker-1',
  action,
  issuedAt: new Date().toISOString(),
  ...extra,
});

describe('SimMachine', () => {
  it('reports loads truthfully in a heartbeat that satisfies the contract', async () => {
    const machine = new SimMachine('worker-1', 'http://127.0.0.1:9301', parseFleetSpec('L40S-48GB')[0]!, { timeScale: 0, loadGBs: 2 });
    expect(machine.apply(command('load', { model: 'm', spec })).applied).toBe(true);
    expect(machine.apply(command('load', { model: 'n', spec })).applied).toBe(true);
    const refused = machine.apply(command('load', { model: 'o', spec }));
    expect(refused.applied).toBe(false);
    expect(refused.detail).toMatch(/refused/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beat = workerHeartbeat.parse(machine.heartbeat(new Date()));
    expect(beat.models.map((m) => [m.model, m.state])).toEqual([
      ['m', 'ready'],
      ['n', 'ready'],
    ]);
    expect(beat.gpus[0]?.vramUsedMiB).toBe(32_000);
    expect(beat.gpus[0]!.vramUsedMiB).toBeLessThanOrEqual(beat.gpus[0]!.vramTotalMiB);
    expect(beat.models[0]?.maxRunning).toBeGreaterThan(0);
    expect(machine.apply(command('unload', { model: 'm' })).applied).toBe(true);
    expect(machine.heartbeat(new Date()).gpus[0]?.vramUsedMiB).toBe(16_000);
    // /metrics reads the same figures without counting a heartbeat.
    expect(machine.gpus()).toEqual([{ index: 0, name: 'NVIDIA L40S', vramTotalMiB: 46_068, vramUsedMiB: 16_000 }]);
    expect(machine.heartbeat(new Date()).seq).toBe(3);
    expect(machine.apply(command('load')).applied).toBe(false);
    machine.close();
  });

  it('stops taking work when cordoned or draining, and takes it again when uncordoned', () => {
    const machine = new SimMachine('worker-1', 'http://127.0.0.1:9301', parseFleetSpec('H100-80GB')[0]!, { timeScale: 0, loadGBs: 2 });
    machine.apply(command('drain'));
    expect(machine.acceptsWork()).toBe(false);
    expect(machine.heartbeat(new Date()).cordoned).toBe(true);
    machine.apply(command('uncordon'));
    expect(machine.acceptsWork()).toBe(true);
    machine.apply(command('cordon'));
    expect(machine.heartbeat(new Date()).cordoned).toBe(true);
  });
});
