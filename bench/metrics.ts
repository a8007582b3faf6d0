// The cost of a Prometheus scrape of each service's /metrics (and one simulated machine's): time to
// answer and bytes, measured by scraping each 200 times back to back, as Prometheus would every 5 s.
import { percentiles } from './lib/stats.js';
import { table } from './lib/report.js';

const targets: [string, number][] = [
  ['gateway', 8080],
  ['auth', 9101],
  ['prompt-guard', 9102],
  ['scheduler', 9103],
  ['billing', 9104],
  ['lifecycle', 9105],
  ['batch', 9106],
  ['worker agent', 9107],
  ['worker-1 (a machine)', 9301],
];
const SCRAPES = 200;

export async function benchMetrics(): Promise<string> {
  const rows: (string | number)[][] = [];
  for (const [name, port] of targets) {
    const times: number[] = [];
    let bytes = 0;
    let series = 0;
    for (let i = 0; i < SCRAPES; i++) {
      const start = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      const text = await res.text();
      times.push(performance.now() - start);
      bytes = Buffer.byteLength(text);
      series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    }
    const q = percentiles(times, [50, 99]);
    rows.push([name, q.p50 ?? NaN, q.p99 ?? NaN, bytes.toLocaleString('en'), series]);
  }
  return [
    `${SCRAPES} scrapes of each target back to back over loopback (Node's fetch, keep-alive), on the running platform after the test suite's traffic (series as many as that traffic created). Prometheus scrapes each every 5 s.`,
    table(['target', 'p50 ms', 'p99 ms', 'bytes', 'series'], rows),
  ].join('\n\n');
}
