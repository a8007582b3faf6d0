// Cold start of the whole platform (infrastructure installed and built) and idle RSS per service.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { rssMiB, sh } from './lib/process.js';
import { repoRoot, table } from './lib/report.js';

export async function benchPlatformStart(): Promise<string> {
  sh('infra/services.sh', 'stop');
  sh('infra/stop.sh');
  const t0 = performance.now();
  sh('infra/start.sh');
  const infraReady = performance.now();
  sh('-c', 'source infra/env.sh && node packages/kafka/dist/bin/ensure-topics.js');
  sh('infra/services.sh', 'start');
  const allReady = performance.now();
  const total = (allReady - t0) / 1000;
  const infraSeconds = (infraReady - t0) / 1000;

  // Idle: let start-up garbage settle, then read each process once.
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  const runDir = join(repoRoot, '.data', 'run');
  const rows = readdirSync(runDir)
    .filter((f) => f.endsWith('.pid'))
    .map((f) => {
      const pid = Number(readFileSync(join(runDir, f), 'utf8'));
      const mib = rssMiB(pid);
      return [f.replace('.pid', ''), mib, mib <= 150 ? 'yes' : 'no'] as const;
    })
    .sort((a, b) => b[1] - a[1]);
  return [
    `Cold start, every server and service stopped → all eight services ready (\`/readyz\` 200): **${total.toFixed(1)} s** (target < 60 s),`,
    `of which Kafka + Redis + PostgreSQL up: ${infraSeconds.toFixed(1)} s.`,
    '',
    'Idle RSS, 15 s after ready (target ≤ 150 MB each; the worker process hosts all 12 simulated machines):',
    '',
    table(['service', 'RSS MiB', '≤ 150'], rows),
  ].join('\n');
}
