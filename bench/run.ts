// `pnpm bench`: runs the benchmarks against the running platform (./llmaas up first) and
// appends their figures to docs/benchmarks.md. Pick some with `pnpm bench rpc start`.
import { appendSection } from './lib/report.js';
import { benchAuth } from './auth.js';
import { benchBatch } from './batch.js';
import { benchBilling } from './billing.js';
import { benchCatalog } from './catalog.js';
import { benchConsole } from './console.js';
import { benchGuard } from './guard.js';
import { benchInference } from './inference.js';
import { benchKafkaRpc } from './kafka-rpc.js';
import { benchMetrics } from './metrics.js';
import { benchPlatformStart } from './platform-start.js';

const all = { start: ['Platform cold start and idle memory', benchPlatformStart], rpc: ['Kafka request/reply round trip', benchKafkaRpc], auth: ['Auth: key check, revocation, audit ingestion', benchAuth], catalog: ['Lifecycle: catalog lookup and change propagation', benchCatalog], guard: ['Prompt guard: analysis and guard.check round trip', benchGuard], billing: ['Billing: ledger ingestion, invoice generation, rate-limit check', benchBilling], inference: ['Inference path: added latency, sustained rate, gateway memory', benchInference], batch: ['Batch service', benchBatch], metrics: ['Monitoring: /metrics scrape cost per service', benchMetrics], console: ['Web console: first load', benchConsole] } as const;
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(all);

for (const name of chosen) {
  const entry = all[name as keyof typeof all];
  if (!entry) throw new Error(`unknown benchmark ${name}; known: ${Object.keys(all).join(', ')}`);
  const [title, bench] = entry;
  appendSection(title, await bench());
}
process.exit(0);
