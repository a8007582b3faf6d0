import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { workerEnv } from './worker.config.js';

const schema = z.object(workerEnv);

describe('worker config', () => {
  it('defaults to real-time engines loading at 2 GB/s', () => {
    expect(schema.parse({})).toMatchObject({ SIM_TIME_SCALE: 1, SIM_LOAD_BANDWIDTH_GBS: 2 });
    expect(schema.parse({ SIM_TIME_SCALE: '0' }).SIM_TIME_SCALE).toBe(0);
  });

  it('rejects a negative time scale or a zero bandwidth', () => {
    expect(schema.safeParse({ SIM_TIME_SCALE: '-1' }).success).toBe(false);
    expect(schema.safeParse({ SIM_LOAD_BANDWIDTH_GBS: '0' }).success).toBe(false);
  });
});
