import { describe, expect, it } from 'vitest';

import { parseFleetSpec } from './fleet-spec.js';

describe('parseFleetSpec', () => {
  it('expands the default mix into 12 machines', () => {
    const machines = parseFleetSpec('H100-80GB*6,H200-141GB*4,L40S-48GB*2');
    expect(machines).toHaveLength(12);
    expect(machines[0]?.gpus[0]?.name).toBe('NVIDIA H100 80GB HBM3');
    expect(machines[11]?.gpus[0]?.vramTotalMiB).toBe(46068);
  });

  it('supports several GPUs per machine', () => {
    const [machine] = parseFleetSpec('2xH200-141GB');
    expect(machine?.gpus).toHaveLength(2);
  });

  it('names the offending group', () => {
    expect(() => parseFleetSpec('H100-80GB*2,B300')).toThrow(/unknown GPU profile "B300"/);
    expect(() => parseFleetSpec('H100-80GB*0')).toThrow(/at least one machine/);
    expect(() => parseFleetSpec('9xH100-80GB')).toThrow(/1 to 8 GPUs/);
    expect(() => parseFleetSpec('H100 80GB')).toThrow(/not of the form/);
  });
});
