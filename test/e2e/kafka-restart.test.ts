import { describe, expect, it } from 'vitest';

import { adminGet, eventually, infra, readyz, servicePorts, type PlatformService } from '../support/platform.js';

const consumers: PlatformService[] = ['auth', 'prompt-guard', 'scheduler', 'billing', 'lifecycle', 'batch', 'worker'];

async function allReady(): Promise<PlatformService[]> {
  const states = await Promise.all(
    (Object.keys(servicePorts) as PlatformService[]).map(async (s) => [s, (await readyz(s)).status] as const),
  );
  return states.filter(([, status]) => status !== 200).map(([s]) => s);
}

describe('Kafka restarted under running services', { timeout: 240_000 }, () => {
  it('makes services unready while it is down, and they recover without being restarted', async () => {
    await infra('infra/stop.sh', 'kafka');
    try {
      const unready = await eventually(
        async () => Promise.all(consumers.map(async (s) => (await readyz(s)).status)),
        (statuses) => statuses.every((status) => status === 503),
        20_000,
      );
      expect(unready.every((status) => status === 503)).toBe(true);
    } finally {
      await infra('infra/start.sh', 'kafka');
    }
    const started = Date.now();
    const notReady = await eventually(allReady, (list) => list.length === 0, 150_000, 500);
    console.log(`all services ready again ${Date.now() - started} ms after Kafka restarted`);
    expect(notReady).toEqual([]);

    // Request/reply and event flows work again end to end.
    const status = await eventually(
      async () => (await (await adminGet('/admin/v1/status')).json()) as { healthy: boolean },
      (body) => body.healthy,
      30_000,
    );
    expect(status.healthy).toBe(true);
    const fleet = await eventually(
      async () => (await (await adminGet('/admin/v1/fleet')).json()) as { workers?: { up: boolean }[] },
      (f) => (f.workers ?? []).filter((w) => w.up).length === 12,
      30_000,
    );
    expect(fleet.workers?.filter((w) => w.up)).toHaveLength(12);
  });
});
