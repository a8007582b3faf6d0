import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './report.js';

export const sh = (...args: string[]) => execFileSync('bash', args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });

/** Runs `infra/services.sh` with extra environment (e.g. a worker with no engine latency). */
export const services = (env: Record<string, string>, ...args: string[]) =>
  execFileSync('bash', ['infra/services.sh', ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

export const servicePid = (name: string): number => Number(readFileSync(join(repoRoot, '.data', 'run', `${name}.pid`), 'utf8').trim());
