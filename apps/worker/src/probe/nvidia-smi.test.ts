import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { parseNvidiaSmi } from './nvidia-smi.js';

// apps/worker/src/probe → the repository root is four levels up; fixtures sit beside it in shared/.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const fixtures = join(repoRoot, '..', 'shared', 'fixtures', 'nvidia-smi');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

describe('parseNvidiaSmi', () => {
  it('parses the idle H200 query without header', () => {
    const gpus = parseNvidiaSmi(fixture('h200-idle-query.csv'), ['index', 'uuid', 'name', 'memory.total', 'memory.used', 'memory.free', 'utilization.gpu', 'utilization.memory', 'temperature.gpu', 'power.draw']);
    expect(gpus).toEqual([{ index: 0, name: 'NVIDIA H200', memoryTotalMiB: 143771, memoryUsedMiB: 0 }]);
  });

  it('parses the header variant with units', () => {
    expect(parseNvidiaSmi(fixture('h200-idle-query-header.csv'))).toEqual([{ index: 0, name: 'NVIDIA H200', memoryTotalMiB: 143771, memoryUsedMiB: 0 }]);
  });

  it('parses the busy query (no name column)', () => {
    const gpus = parseNvidiaSmi(fixture('h200-busy-query.csv'), ['index', 'memory.total', 'memory.used', 'memory.free', 'utilization.gpu']);
    expect(gpus).toEqual([{ index: 0, name: 'GPU 0', memoryTotalMiB: 143771, memoryUsedMiB: 21491 }]);
  });

  it('parses the default query and rejects garbage', () => {
    expect(parseNvidiaSmi('0, NVIDIA H100 80GB HBM3, 81559, 1024\n1, NVIDIA H100 80GB HBM3, 81559, 0\n')).toHaveLength(2);
    expect(() => parseNvidiaSmi(fixture('h200-busy-compute-apps.csv'))).toThrow(/not a number|fields/);
    expect(parseNvidiaSmi('')).toEqual([]);
  });
});
