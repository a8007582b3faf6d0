import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

import { ConfigError } from '@llmaas/config';
import { workerHeartbeat } from '@llmaas/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { workerEnv, type WorkerConfig } from '../worker.config.js';
import { createEngines } from './create-engines.js';
import { RemoteMachine } from './remote-machine.js';
import { SimMachineEngine } from './sim-machine-engine.js';

const config = (env: Record<string, string>): WorkerConfig => ({ ...z.object(workerEnv).parse(env), HTTP_HOST: '127.0.0.1' });
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

describe('createEngines', () => {
  it('builds the simulated fleet as before: ids, ports and sim heartbeats', () => {
    const machines = createEngines(config({ WORKER_FLEET: 'H100-80GB*2,L40S-48GB', WORKER_BASE_PORT: '9400' }), silent);
    expect(machines.every((m) => m instanceof SimMachineEngine)).toBe(true);
    expect(machines.map((m) => [m.workerId, m.endpoint])).toEqual([
      ['worker-1', 'http://127.0.0.1:9400'],
      ['worker-2', 'http://127.0.0.1:9401'],
      ['worker-3', 'http://127.0.0.1:9402'],
    ]);
    const beat = workerHeartbeat.parse(machines[2]!.heartbeat(new Date()));
    expect(beat).toMatchObject({ engine: 'sim', models: [] });
    expect(beat.gpus[0]?.vramTotalMiB).toBe(46068);
  });

  it('builds one machine per URL for a real engine, the endpoint being the base URL', () => {
    const machines = createEngines(config({ WORKER_ENGINE: 'ollama', WORKER_ENGINE_URLS: 'http://gpu-a:11434/,http://gpu-b:11434/v1', WORKER_ID_PREFIX: 'gpu' }), silent);
    expect(machines.every((m) => m instanceof RemoteMachine)).toBe(true);
    expect(machines.map((m) => [m.workerId, m.engine, m.endpoint])).toEqual([
      ['gpu-1', 'ollama', 'http://gpu-a:11434'],
      ['gpu-2', 'ollama', 'http://gpu-b:11434'],
    ]);
  });

  it("serves a real-engine machine's /metrics on the port a simulated machine n would have", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    // Nothing answers on the server's URL: the machine reports no models, and its /metrics says so.
    const [machine] = createEngines(config({ WORKER_ENGINE: 'openai', WORKER_ENGINE_URLS: `http://127.0.0.1:${port}`, WORKER_BASE_PORT: String(port) }), silent);
    await machine!.start();
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual([]);
    expect(text).toContain('# TYPE llmaas_worker_model_loaded gauge');
    await machine!.stop();
  });

  it('refuses a real engine without URLs, naming WORKER_ENGINE_URLS', () => {
    expect(() => createEngines(config({ WORKER_ENGINE: 'openai' }), silent)).toThrow(ConfigError);
    expect(() => createEngines(config({ WORKER_ENGINE: 'openai' }), silent)).toThrow(/WORKER_ENGINE_URLS.*WORKER_ENGINE=openai/);
  });
});
