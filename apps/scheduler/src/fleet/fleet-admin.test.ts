import { RpcFailure } from '@llmaas/kafka';
import { describe, expect, it } from 'vitest';

import { checkFleetCommand } from './fleet-admin.js';

const worker = { workerId: 'worker-1', endpoint: 'http://127.0.0.1:9301', available: true, placeable: true, up: true, vramTotalMiB: 81_559, vramUsedMiB: 40_000, models: [{ model: 'busy', state: 'ready' as const, vramMiB: 30_000, running: 2, waiting: 0, maxRunning: 16 }, { model: 'idle', state: 'ready' as const, vramMiB: 10_000, running: 0, waiting: 0, maxRunning: 16 }] };
const spec = (vramMiB: number) => ({ kind: 'chat' as const, paramsBillion: 1, contextLength: 8192, reasoning: false, vramMiB });
const code = (run: () => void) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return error instanceof RpcFailure ? error.code : 'other';
  }
};

describe('checkFleetCommand', () => {
  it('refuses unknown and down workers', () => {
    expect(code(() => checkFleetCommand(undefined, 'cordon', undefined, undefined, 0))).toBe('not_found');
    expect(code(() => checkFleetCommand({ ...worker, up: false }, 'drain', undefined, undefined, 0))).toBe('conflict');
    expect(code(() => checkFleetCommand(worker, 'drain', undefined, undefined, 0))).toBe('ok');
  });

  it('loads only what fits, counting pending loads, and never twice', () => {
    expect(code(() => checkFleetCommand(worker, 'load', 'new', spec(30_000), 0))).toBe('ok');
    expect(code(() => checkFleetCommand(worker, 'load', 'new', spec(30_000), 20_000))).toBe('conflict');
    expect(code(() => checkFleetCommand(worker, 'load', 'idle', spec(10_000), 0))).toBe('conflict');
    expect(code(() => checkFleetCommand(worker, 'load', 'unknown', undefined, 0))).toBe('invalid_request');
    expect(code(() => checkFleetCommand(worker, 'load', undefined, undefined, 0))).toBe('invalid_request');
  });

  it('unloads idle models only', () => {
    expect(code(() => checkFleetCommand(worker, 'unload', 'idle', undefined, 0))).toBe('ok');
    expect(code(() => checkFleetCommand(worker, 'unload', 'busy', undefined, 0))).toBe('conflict');
    expect(code(() => checkFleetCommand(worker, 'unload', 'absent', undefined, 0))).toBe('not_found');
  });
});
