// The batch service: its throughput and memory on one large chat batch, and whether interactive
// requests keep their priority while a batch keeps the simulated GPUs busy, measured where priority
// acts: the gateway's wait for a slot (its `Server-Timing` `assign` hop), with and without a batch.
// Runs against the platform as it is (workers at their configured SIM_TIME_SCALE: nothing is
// restarted) through the public API: POST /v1/files, POST /v1/batches, GET /v1/batches/{id},
// GET /v1/files/{id}/content. The bench package does not depend on the `openai` SDK, so these are
// plain fetch calls with the SDK's shapes (multipart `file` + `purpose=batch`).
//
// Knobs: BENCH_BATCH_LINES (50,000: lines of the measured batch), BENCH_BATCH_LOAD_LINES (as many:
// the batch running behind phase B, cancelled after it), BENCH_BATCH_MAX_TOKENS (16),
// BENCH_BATCH_STREAMS (8 interactive streams), BENCH_BATCH_PHASE_S (20 s per interactive phase),
// BENCH_BATCH_MODEL (default: the smallest served non-reasoning chat model),
// BENCH_BATCH_TIMEOUT_S (3,600: the longest a batch may take before the run gives up).
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { Pool } from 'undici';

import { cpuTimes, idlePercent, processTicks, type CpuTimes } from './lib/cpu.js';
import { rssMiB, servicePid } from './lib/process.js';
import { repoRoot, table } from './lib/report.js';
import { percentiles, round } from './lib/stats.js';

const gateway = process.env.OPENAI_BASE_URL?.replace(/\/v1\/?$/, '') ?? 'http://127.0.0.1:8080';
const adminKey = process.env.LLMAAS_ADMIN_KEY ?? '';
const apiKey = process.env.OPENAI_API_KEY ?? '';

const knob = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
};
const LINES = Math.round(knob('BENCH_BATCH_LINES', 50_000));
const LOAD_LINES = Math.round(knob('BENCH_BATCH_LOAD_LINES', 20_000));
const MAX_TOKENS = Math.round(knob('BENCH_BATCH_MAX_TOKENS', 16));
const STREAMS = Math.round(knob('BENCH_BATCH_STREAMS', 8));
const PHASE_S = knob('BENCH_BATCH_PHASE_S', 20);
const TIMEOUT_S = knob('BENCH_BATCH_TIMEOUT_S', 3600);
// Priority is measured where GPU time, not this machine's CPU, limits the batch: a large model
// whose lines decode for a while, so few lines a second fill every slot the batch may take.
const PRIORITY_MAX_TOKENS = Math.round(knob('BENCH_BATCH_PRIORITY_MAX_TOKENS', 128));
/** A batch whose count has not moved for this long while in progress is declared stalled. */
const STALL_S = 120;
const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);
const SERVICES = ['gateway', 'batch', 'scheduler', 'worker', 'prompt-guard', 'auth', 'billing', 'lifecycle'];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => round(ms / 1000, 1);
/** A duration for the report: ms under a second, else seconds. */
const took = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${round(ms / 1000, 1)} s`);

interface BatchObject {
  id: string;
  status: string;
  request_counts: { total: number; completed: number; failed: number };
  output_file_id: string | null;
  error_file_id: string | null;
  errors: { data: { code: string; message: string }[] } | null;
  usage?: { input_tokens: number; output_tokens: number };
}

async function call<T>(method: string, path: string, body?: unknown, key = apiKey): Promise<T> {
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

// ---- batches -------------------------------------------------------------------------------

/** A batch input of `n` short chat requests, each prompt its own (the guard flags repeated prompts). */
function batchInput(model: string, n: number, tag: string, maxTokens = MAX_TOKENS): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    // ignore_eos: every line decodes its max_tokens (the simulated engine honours it, as vLLM does).
    const body = { model, messages: [{ role: 'user', content: `Batch benchmark ${tag}, line ${i}: say something short.` }], max_tokens: maxTokens, ignore_eos: true };
    lines.push(JSON.stringify({ custom_id: `${tag}-${i}`, method: 'POST', url: '/v1/chat/completions', body }));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function upload(content: Buffer, filename: string): Promise<{ id: string; ms: number }> {
  const form = new FormData();
  form.append('purpose', 'batch');
  form.append('file', new Blob([content], { type: 'application/jsonl' }), filename);
  const t0 = performance.now();
  const res = await fetch(`${gateway}/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /v1/files: ${res.status} ${text.slice(0, 500)}`);
  return { id: (JSON.parse(text) as { id: string }).id, ms: performance.now() - t0 };
}

interface Tick {
  t: number;
  status: string;
  done: number;
}

/** Polls a batch (every 100 ms while it validates, every second after) until it ends or is let go. */
class BatchWatch {
  readonly ticks: Tick[] = [];
  readonly finished: Promise<BatchObject>;
  last: BatchObject;
  private released = false;

  constructor(initial: BatchObject) {
    this.last = initial;
    this.finished = this.loop();
    // Whoever awaits `finished` sees a failure; this keeps an unawaited one from crashing the run.
    this.finished.catch(() => undefined);
  }

  get id(): string {
    return this.last.id;
  }

  release(): void {
    this.released = true;
  }

  private async loop(): Promise<BatchObject> {
    let failingSince: number | null = null;
    let movedAt = performance.now();
    while (!this.released) {
      const t = performance.now();
      try {
        this.last = await call<BatchObject>('GET', `/v1/batches/${this.id}`);
        failingSince = null;
      } catch (error) {
        failingSince ??= t;
        if (t - failingSince > 60_000) throw error;
      }
      const done = this.last.request_counts.completed + this.last.request_counts.failed;
      if (done !== this.ticks.at(-1)?.done) movedAt = t;
      this.ticks.push({ t, status: this.last.status, done });
      if (TERMINAL.has(this.last.status)) return this.last;
      if (this.last.status === 'in_progress' && t - movedAt > STALL_S * 1000) throw new Error(`batch ${this.id} stalled: ${done} lines done, none for ${STALL_S} s`);
      const every = this.last.status === 'validating' ? 100 : 1000;
      await sleep(Math.max(0, every - (performance.now() - t)));
    }
    return this.last;
  }

  /** When a status other than those given was first seen. */
  leftAt(...statuses: string[]): number | undefined {
    return this.ticks.find((k) => !statuses.includes(k.status))?.t;
  }

  /** Lines per second between consecutive polls that saw the batch in progress, within [from, to]. */
  rates(from = 0, to = Infinity): number[] {
    const out: number[] = [];
    for (let i = 1; i < this.ticks.length; i++) {
      const a = this.ticks[i - 1]!;
      const b = this.ticks[i]!;
      if (a.status === 'in_progress' && b.status === 'in_progress' && a.t >= from && b.t <= to && b.t > a.t) out.push(((b.done - a.done) * 1000) / (b.t - a.t));
    }
    return out;
  }

  /** Mean lines per second over the in-progress polls within [from, to]. */
  meanRate(from = 0, to = Infinity): number {
    const ticks = this.ticks.filter((k) => k.status === 'in_progress' && k.t >= from && k.t <= to);
    const a = ticks[0];
    const b = ticks.at(-1);
    return a && b && b.t > a.t ? ((b.done - a.done) * 1000) / (b.t - a.t) : NaN;
  }
}

async function startBatch(fileId: string): Promise<{ watch: BatchWatch; createdAt: number; createMs: number }> {
  const createdAt = performance.now();
  const batch = await call<BatchObject>('POST', '/v1/batches', { input_file_id: fileId, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { purpose: 'pnpm bench batch' } });
  return { watch: new BatchWatch(batch), createdAt, createMs: performance.now() - createdAt };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The lines of a file's content, streamed. */
async function* fileLines(pool: Pool, fileId: string): AsyncGenerator<string> {
  const res = await pool.request({ path: `/v1/files/${fileId}/content`, method: 'GET', headers: { authorization: `Bearer ${apiKey}` } });
  if (res.statusCode !== 200) throw new Error(`GET /v1/files/${fileId}/content: ${res.statusCode} ${await res.body.text()}`);
  res.body.setEncoding('utf8');
  let rest = '';
  for await (const piece of res.body) {
    const lines = (rest + (piece as string)).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') yield line;
  }
  if (rest.trim() !== '') yield rest;
}

interface Verified {
  output: number;
  errors: number;
  missing: number;
  duplicated: number;
  foreign: number;
  errorCodes: Map<string, number>;
}

/** Every custom_id of the input in exactly one line of the output and error files together. */
async function verify(pool: Pool, batch: BatchObject, n: number, tag: string): Promise<Verified> {
  const seen = new Uint8Array(n);
  const result: Verified = { output: 0, errors: 0, missing: 0, duplicated: 0, foreign: 0, errorCodes: new Map() };
  const prefix = `${tag}-`;
  for (const [fileId, kind] of [[batch.output_file_id, 'output'], [batch.error_file_id, 'errors']] as const) {
    if (!fileId) continue;
    for await (const text of fileLines(pool, fileId)) {
      result[kind]++;
      const line = JSON.parse(text) as { custom_id?: string; response?: { status_code?: number; body?: { error?: { code?: string } } } | null; error?: { code?: string } | null };
      const id = line.custom_id ?? '';
      const i = id.startsWith(prefix) ? Number(id.slice(prefix.length)) : NaN;
      if (!Number.isInteger(i) || i < 0 || i >= n) result.foreign++;
      else if (seen[i]! > 0) result.duplicated++;
      else seen[i] = 1;
      if (kind === 'errors') {
        const code = line.error?.code ?? line.response?.body?.error?.code ?? `http ${line.response?.status_code ?? '?'}`;
        result.errorCodes.set(code, (result.errorCodes.get(code) ?? 0) + 1);
      }
    }
  }
  result.missing = seen.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);
  return result;
}

// ---- sampling ------------------------------------------------------------------------------

/** Calls `sample` every `everyMs` (never two at once) until stopped; failed samples are skipped. */
function every<T>(everyMs: number, sample: () => T | Promise<T>): { samples: T[]; stop: () => Promise<void> } {
  const samples: T[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        samples.push(await sample());
      } catch {
        // a process restarted, the fleet view timed out: the next sample will do
      }
      await sleep(Math.max(0, everyMs - (performance.now() - t)));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** The batch service's pid (from its pid file, read each time: it may be restarted) and RSS. */
function batchRss(): { pid: number; rss: number } {
  const pid = servicePid('batch');
  return { pid, rss: rssMiB(pid) };
}

/** The same, retried for a while should the service be between two processes. */
async function batchRssNow(): Promise<{ pid: number; rss: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return batchRss();
    } catch (error) {
      if (attempt >= 60) throw error;
      await sleep(500);
    }
  }
}

interface FleetWorker {
  workerId: string;
  up: boolean;
  tokensPerSecond: number;
  models: { model: string; state: string; running: number; waiting: number; maxRunning: number }[];
}

interface FleetSample {
  replicas: number;
  slots: number;
  running: number;
  waiting: number;
  tokensPerSecond: number;
}

/** The model's replicas as the scheduler sees them (workers' heartbeats, once a second). */
async function fleetSample(model: string): Promise<FleetSample> {
  const fleet = await call<{ workers: FleetWorker[] }>('GET', '/admin/v1/fleet', undefined, adminKey);
  const sample: FleetSample = { replicas: 0, slots: 0, running: 0, waiting: 0, tokensPerSecond: 0 };
  for (const w of fleet.workers) {
    const m = w.models.find((x) => x.model === model && x.state === 'ready');
    if (!w.up || !m) continue;
    sample.replicas++;
    sample.slots += m.maxRunning;
    sample.running += m.running;
    sample.waiting += m.waiting;
    sample.tokensPerSecond += w.tokensPerSecond;
  }
  return sample;
}

function fleetSummary(samples: readonly FleetSample[]) {
  const mean = (f: (s: FleetSample) => number) => (samples.length ? samples.reduce((s, x) => s + f(x), 0) / samples.length : NaN);
  const max = (f: (s: FleetSample) => number) => samples.reduce((m, x) => Math.max(m, f(x)), 0);
  return {
    replicas: max((s) => s.replicas),
    slots: max((s) => s.slots),
    runningMean: Math.round(mean((s) => s.running)),
    runningMax: max((s) => s.running),
    waitingMax: max((s) => s.waiting),
    tokensPerSecond: Math.round(mean((s) => s.tokensPerSecond)),
  };
}

/** Where the CPU time went: the machine's idle share and each platform process's. */
interface CpuMark {
  at: number;
  machine: CpuTimes;
  ticks: Map<string, number>;
  self: NodeJS.CpuUsage;
}

function infraPids(): Map<string, number[]> {
  const pids = new Map<string, number[]>();
  for (const name of SERVICES) {
    try {
      pids.set(name, [servicePid(name)]);
    } catch {
      // not running
    }
  }
  for (const [name, file] of [['kafka', join(repoRoot, '.data', 'infra', 'kafka', 'kafka.pid')], ['redis', join(repoRoot, '.data', 'infra', 'redis', 'redis.pid')]] as const) {
    try {
      pids.set(name, [Number(readFileSync(file, 'utf8').trim())]);
    } catch {
      // not there
    }
  }
  // PostgreSQL: one process per connection, all named `postgres`.
  const pg: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pg.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  pids.set('postgres', pg);
  return pids;
}

function cpuMark(): CpuMark {
  const ticks = new Map<string, number>();
  for (const [name, pids] of infraPids()) ticks.set(name, pids.reduce((s, pid) => s + (processTicks(pid) || 0), 0));
  return { at: performance.now(), machine: cpuTimes(), ticks, self: process.cpuUsage() };
}

/** Between two marks: machine idle %, and each process's CPU in % of one core. */
function cpuBetween(a: CpuMark, b: CpuMark) {
  const wall = (b.at - a.at) / 1000;
  const cores = new Map<string, number>();
  for (const [name, t] of b.ticks) {
    const before = a.ticks.get(name);
    // USER_HZ is 100 on Linux: a tick is 10 ms. A process restarted in between counts nothing.
    if (before !== undefined && t >= before) cores.set(name, Math.round((t - before) / wall));
  }
  const self = process.cpuUsage(a.self);
  cores.set('this benchmark', Math.round((self.user + self.system) / 1e4 / wall));
  return { idle: round(idlePercent(a.machine, b.machine), 1), cores };
}

// ---- interactive load ----------------------------------------------------------------------

interface Shot {
  ttft: number;
  assign: number;
}

function hopsOf(header: string | string[] | undefined): Record<string, number> {
  const hops: Record<string, number> = {};
  for (const part of String(header ?? '').split(',')) {
    const match = /^\s*([a-z]+);dur=([\d.]+)/.exec(part);
    if (match?.[1]) hops[match[1]] = Number(match[2]);
  }
  return hops;
}

let serial = 0;

/** `streams` clients sending streamed chat completions back to back for `durationS` seconds. */
async function interactive(pool: Pool, model: string, durationS: number, streams: number, maxTokens = MAX_TOKENS): Promise<{ shots: Shot[]; failures: Map<string, number>; seconds: number }> {
  const shots: Shot[] = [];
  const failures = new Map<string, number>();
  const fail = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const t0 = performance.now();
  const deadline = t0 + durationS * 1000;
  await Promise.all(
    Array.from({ length: streams }, async () => {
      while (performance.now() < deadline) {
        const body = JSON.stringify({ model, messages: [{ role: 'user', content: `Interactive benchmark prompt ${++serial}: say something short.` }], max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } });
        const start = performance.now();
        try {
          const res = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers, body });
          if (res.statusCode !== 200) {
            const text = await res.body.text();
            fail(`${res.statusCode} ${(/"code":"([^"]+)"/.exec(text) ?? [])[1] ?? ''}`.trim());
            await sleep(200);
            continue;
          }
          let ttft = -1;
          for await (const piece of res.body) {
            if (ttft < 0 && (piece as Buffer).includes('"content":"')) ttft = performance.now() - start;
          }
          const assign = hopsOf(res.headers['server-timing']).assign;
          if (assign === undefined) fail('no assign hop');
          else shots.push({ ttft: ttft < 0 ? performance.now() - start : ttft, assign });
        } catch (error) {
          fail(error instanceof Error ? error.message.slice(0, 60) : 'error');
          await sleep(200);
        }
      }
    }),
  );
  return { shots, failures, seconds: (performance.now() - t0) / 1000 };
}

// ---- the benchmark -------------------------------------------------------------------------

/** The smallest served non-reasoning chat model, or (`large`) the largest one of at most 80 B parameters (one GPU). */
async function pickModel(large = false): Promise<string> {
  const chosen = large ? process.env.BENCH_BATCH_PRIORITY_MODEL : process.env.BENCH_BATCH_MODEL;
  if (chosen) return chosen;
  const catalog = await call<{ data: { id: string; kind: string; phase: string; stability: string; paramsBillion: number; reasoning: boolean }[] }>('GET', '/admin/v1/models', undefined, adminKey);
  const served = catalog.data
    .filter((m) => m.kind === 'chat' && !m.reasoning && m.stability === 'stable' && (m.phase === 'production' || m.phase === 'notice') && (!large || m.paramsBillion <= 80))
    .sort((a, b) => (large ? b.paramsBillion - a.paramsBillion : a.paramsBillion - b.paramsBillion) || a.id.localeCompare(b.id));
  const model = served[0]?.id;
  if (!model) throw new Error('no chat model served today');
  return model;
}

/** One request through the gateway until it is answered: the scheduler places the model first. */
async function warmUp(model: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await fetch(`${gateway}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: `Benchmark warm-up ${Date.now()}` }], max_tokens: 1 }),
    }).catch(() => null);
    if (res?.ok) return void (await res.text());
    const text = res ? await res.text() : 'unreachable';
    if (Date.now() > deadline) throw new Error(`warm-up: ${res?.status ?? ''} ${text.slice(0, 300)}`);
    await sleep(1000);
  }
}

const ms = (values: readonly number[]) => percentiles(values, [50, 99]);
const ratio = (b: number | undefined, a: number | undefined) => (a && b !== undefined && a > 0 ? round(b / a, 2) : NaN);
const mb = (bytes: number) => round(bytes / 2 ** 20, 1);

export async function benchBatch(): Promise<string> {
  const open: BatchWatch[] = [];
  const pool = new Pool(gateway, { connections: 64 });
  try {
    return await measure(pool, open);
  } finally {
    // A batch left running would load the shared machine for minutes: cancel what is still open.
    for (const watch of open) {
      if (TERMINAL.has(watch.last.status)) continue;
      watch.release();
      await call('POST', `/v1/batches/${watch.id}/cancel`).catch(() => undefined);
    }
    await pool.close();
  }
}

async function measure(pool: Pool, open: BatchWatch[]): Promise<string> {
  const model = await pickModel();
  const tag = `b${Date.now().toString(36)}`;
  console.log(`batch bench: model ${model}, ${LINES} lines, phases of ${PHASE_S} s with ${STREAMS} streams`);
  await warmUp(model);

  // ---- 1. one batch alone: throughput, batch service memory --------------------------------
  const rss = every(1000, batchRss);
  const start = await batchRssNow();
  const rssStart = start.rss;
  const input = batchInput(model, LINES, tag);
  const file = await upload(input, `${tag}.jsonl`);
  console.log(`uploaded ${mb(input.length)} MB in ${round(file.ms)} ms`);
  const cpu1 = cpuMark();
  const first = await startBatch(file.id);
  open.push(first.watch);
  const done = await within(first.watch.finished, TIMEOUT_S * 1000, `batch ${first.watch.id}`);
  const cpu1End = cpuMark();
  if (done.status !== 'completed') throw new Error(`batch ${done.id} ended ${done.status}: ${JSON.stringify(done.errors)}`);
  const inProgressAt = first.watch.leftAt('validating')!;
  const finalizingAt = first.watch.leftAt('validating', 'in_progress')!;
  const completedAt = first.watch.ticks.at(-1)!.t;
  const perSecond = first.watch.rates();
  const rate = first.watch.meanRate();
  const verifyStart = performance.now();
  const check = await verify(pool, done, LINES, tag);
  const verifyMs = performance.now() - verifyStart;
  await rss.stop();
  const end = await batchRssNow();
  const rssEnd = end.rss;
  const rssPeak = Math.max(rssStart, rssEnd, ...rss.samples.map((x) => x.rss));
  // Someone may restart the service on a shared machine: the figures then span two processes.
  const batchPids = [...new Set([start.pid, ...rss.samples.map((x) => x.pid), end.pid])];
  const restarted = batchPids.length > 1 ? ` — **the batch service restarted during the run** (pids ${batchPids.join(' → ')}): start and end are different processes` : '';
  const linesOk = check.output + check.errors === LINES && check.missing === 0 && check.duplicated === 0 && check.foreign === 0;
  const perSecondQ = percentiles(perSecond, [50]);
  console.log(`batch ${done.id}: in_progress after ${seconds(inProgressAt - first.createdAt)} s, ${Math.round(rate)} lines/s, completed after ${seconds(completedAt - first.createdAt)} s; ${check.output} output + ${check.errors} error lines; batch RSS ${rssStart} → peak ${rssPeak} → ${rssEnd} MB`);
  const cpuRun = cpuBetween(cpu1, cpu1End);

  // ---- 2. interactive requests alone (A), then beside a batch (B) ----------------------------
  const prio = await pickModel(true);
  await warmUp(prio);
  await interactive(pool, prio, Math.min(3, PHASE_S), STREAMS, PRIORITY_MAX_TOKENS); // warm credits and connections
  const fleetA = every(1000, () => fleetSample(prio));
  const cpuA = cpuMark();
  const a = await interactive(pool, prio, PHASE_S, STREAMS, PRIORITY_MAX_TOKENS);
  const cpuAEnd = cpuMark();
  await fleetA.stop();
  console.log(`phase A: ${a.shots.length} requests, assign p50/p99 ${ms(a.shots.map((s) => s.assign)).p50}/${ms(a.shots.map((s) => s.assign)).p99} ms`);

  const loadTag = `${tag}l`;
  const loadFile = await upload(batchInput(prio, LOAD_LINES, loadTag, PRIORITY_MAX_TOKENS), `${loadTag}.jsonl`);
  const load = await startBatch(loadFile.id);
  open.push(load.watch);
  // In progress, and lines/s steady: the last two 2-second windows within ±25 % of each other
  // (a chunk is 100 lines and results are written 32 at a time, so single seconds jump).
  const steadyBy = performance.now() + 60_000;
  let steady = false;
  while (performance.now() < steadyBy && !TERMINAL.has(load.watch.last.status)) {
    const ticks = load.watch.ticks.filter((k) => k.status === 'in_progress');
    if (ticks.length >= 5) {
      const [t0, t1, t2] = [ticks.at(-5)!, ticks.at(-3)!, ticks.at(-1)!];
      const before = ((t1.done - t0.done) * 1000) / (t1.t - t0.t);
      const now = ((t2.done - t1.done) * 1000) / (t2.t - t1.t);
      if (before > 0 && now > 0 && Math.abs(now - before) <= 0.25 * Math.max(now, before)) {
        steady = true;
        break;
      }
    }
    await sleep(250);
  }
  console.log(`load batch ${load.watch.id}: ${steady ? 'steady' : 'not steady after 60 s'}, lines/s per second so far: ${load.watch.rates().map(Math.round).join(' ')}`);
  if (load.watch.last.status !== 'in_progress') throw new Error(`the load batch is ${load.watch.last.status}, not in progress: raise BENCH_BATCH_LOAD_LINES`);
  const fleetB = every(1000, () => fleetSample(prio));
  const cpuB = cpuMark();
  const b = await interactive(pool, prio, PHASE_S, STREAMS, PRIORITY_MAX_TOKENS);
  const cpuBEnd = cpuMark();
  await fleetB.stop();
  const loadStatusAfter: string = load.watch.last.status; // (re-read: the watch polled meanwhile)
  const loadRateB = load.watch.meanRate(cpuB.at, cpuBEnd.at);
  const loadDone = load.watch.ticks.at(-1)?.done ?? 0;
  load.watch.release();
  await call('POST', `/v1/batches/${load.watch.id}/cancel`);
  console.log(`phase B: ${b.shots.length} requests beside batch ${load.watch.id} (${Math.round(loadRateB)} lines/s), assign p50/p99 ${ms(b.shots.map((s) => s.assign)).p50}/${ms(b.shots.map((s) => s.assign)).p99} ms; batch cancelled`);

  // ---- report ------------------------------------------------------------------------------
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const errorCodes = [...check.errorCodes].map(([code, n]) => `${n} × ${code}`).join(', ') || 'none';
  const lines: string[] = [];
  lines.push(
    `CPU: ${cpus().length} × ${cpuModel} (/proc/cpuinfo); shared with whatever else ran on it. Model \`${model}\` (the smallest served non-reasoning chat model), ${MAX_TOKENS} max tokens, short prompts each its own; workers as the platform runs them (SIM_TIME_SCALE untouched: nothing restarted). Through the gateway with plain HTTP (the OpenAI SDK's requests).`,
    `**1. One batch of ${LINES.toLocaleString('en')} chat lines**, nothing else sent:`,
    table(
      ['measure', 'value'],
      [
        ['input file', `${mb(input.length)} MB, ${LINES.toLocaleString('en')} lines`],
        ['upload (POST /v1/files)', `${took(file.ms)} (${round(mb(input.length) / (file.ms / 1000), 1)} MB/s)`],
        ['create → in_progress (validation)', `${took(inProgressAt - first.createdAt)} (create call ${Math.round(first.createMs)} ms)`],
        ['in_progress → finalizing', took(finalizingAt - inProgressAt)],
        ['**lines/s while in progress**', `**${Math.round(rate)}** mean; ${perSecond.length > 0 ? `per second p50 ${Math.round(perSecondQ.p50 ?? NaN)}, min ${Math.round(Math.min(...perSecond))}, max ${Math.round(Math.max(...perSecond))} (${perSecond.length} one-second samples)` : 'in progress under 2 polls: no per-second figures'}`],
        ['finalizing → completed (output files written)', took(completedAt - finalizingAt)],
        ['**create → completed**', `**${seconds(completedAt - first.createdAt)} s**`],
        ['output + error lines', `${check.output} + ${check.errors} = ${check.output + check.errors} (${check.output + check.errors === LINES ? '= N' : `≠ N = ${LINES}`}); error codes: ${errorCodes}`],
        ['custom_ids', linesOk ? 'each exactly once' : `${check.missing} missing, ${check.duplicated} duplicated, ${check.foreign} unknown`],
        ['reading both files back', took(verifyMs)],
        ['**batch service RSS**', `start ${rssStart} MB, **peak ${rssPeak} MB**, end ${rssEnd} MB (growth ${rssEnd - rssStart} MB), sampled every second from upload to the end of the read-back${restarted}`],
        ['machine CPU idle, create → completed', `${cpuRun.idle} %`],
      ],
    ),
  );

  const qa = { assign: ms(a.shots.map((s) => s.assign)), ttft: ms(a.shots.map((s) => s.ttft)) };
  const qb = { assign: ms(b.shots.map((s) => s.assign)), ttft: ms(b.shots.map((s) => s.ttft)) };
  const fa = fleetSummary(fleetA.samples);
  const fb = fleetSummary(fleetB.samples);
  const failures = (f: Map<string, number>) => [...f].map(([why, n]) => `${n} × ${why}`).join(', ') || '0';
  const row = (name: string, r: typeof a, q: typeof qa, f: typeof fa, idle: number, batchRate: string) => [
    name,
    r.shots.length,
    failures(r.failures),
    Math.round(r.shots.length / r.seconds),
    `${q.assign.p50} / ${q.assign.p99}`,
    `${q.ttft.p50} / ${q.ttft.p99}`,
    batchRate,
    `${f.replicas} / ${f.slots}`,
    `${f.runningMean} / ${f.runningMax}`,
    f.waitingMax,
    `${idle} %`,
  ];
  const ratioP50 = ratio(qb.assign.p50, qa.assign.p50);
  const ratioP99 = ratio(qb.assign.p99, qa.assign.p99);
  const cA = cpuBetween(cpuA, cpuAEnd);
  const cB = cpuBetween(cpuB, cpuBEnd);
  lines.push(
    `**2. Priority where it acts**: model \`${prio}\` (the largest served non-reasoning chat model on one GPU: its lines decode long enough for GPU time, not this machine's CPU, to limit the batch), ${STREAMS} streams of chat completions (streamed, ${PRIORITY_MAX_TOKENS} tokens) for ${PHASE_S} s each, alone (A), then while a batch of ${LOAD_LINES.toLocaleString('en')} lines of that model (${PRIORITY_MAX_TOKENS} tokens each) runs (B: started, in progress and ${steady ? 'its lines/s steady (two 2-s windows within 25 %)' : 'NOT steady after 60 s'} before the streams began; cancelled after). Wait = the gateway's \`assign\` hop of \`Server-Timing\` (a slot from its credits, waiting included); ms, p50 / p99. Replicas, slots, running and engine queue of the model from \`GET /admin/v1/fleet\` every second.`,
    table(
      ['phase', 'requests', 'failed', 'req/s', '**assign wait**', 'TTFT', 'batch lines/s', 'replicas / slots', 'running mean / max', 'engine queue max', 'CPU idle'],
      [
        row('A: interactive alone', a, qa, fa, cA.idle, '—'),
        row('B: beside the batch', b, qb, fb, cB.idle, `${Math.round(loadRateB)}`),
        ['**B / A**', '', '', '', `**${ratioP50} / ${ratioP99}**`, `${ratio(qb.ttft.p50, qa.ttft.p50)} / ${ratio(qb.ttft.p99, qa.ttft.p99)}`, '', '', '', '', ''],
      ],
    ),
  );
  const names = [...new Set([...cpuRun.cores.keys(), ...cA.cores.keys(), ...cB.cores.keys()])].sort((x, y) => (cB.cores.get(y) ?? 0) - (cB.cores.get(x) ?? 0));
  lines.push(
    `CPU per process (% of one core; ${cpus().length} cores = ${cpus().length * 100} %), PostgreSQL all its processes together:`,
    table(['process', 'batch alone (1)', 'A', 'B'], names.map((n) => [n, cpuRun.cores.get(n) ?? '—', cA.cores.get(n) ?? '—', cB.cores.get(n) ?? '—'])),
  );

  // ---- reading -----------------------------------------------------------------------------
  const met = ratioP50 <= 1.2 && ratioP99 <= 1.2;
  // The batch may take 75 % of the slots (BATCH_RESERVE_FRACTION): its share full is GPU-bound.
  const gpuBound = fb.slots > 0 && (fb.runningMax >= 0.7 * fb.slots || fb.waitingMax > 0);
  const cpuBound = cB.idle < 10;
  const top = names.filter((n) => (cB.cores.get(n) ?? 0) > 0).slice(0, 3).map((n) => `${n} ${cB.cores.get(n)} %`).join(', ');
  const reading: string[] = [];
  reading.push(
    `Throughput: ${Math.round(rate)} lines/s in progress; ${LINES.toLocaleString('en')} lines from create to completed in ${seconds(completedAt - first.createdAt)} s, ${linesOk ? 'every line answered exactly once' : '**lines lost or repeated** (see above)'}; the batch service grew by ${rssEnd - rssStart} MB (peak ${rssPeak} MB)${restarted ? ', but it was restarted meanwhile (not by this benchmark)' : ''}. Machine CPU idle meanwhile: ${cpuRun.idle} %.`,
    `Priority: the interactive wait for a slot went from ${qa.assign.p50} / ${qa.assign.p99} ms (A) to ${qb.assign.p50} / ${qb.assign.p99} ms (B), B/A = ${ratioP50} / ${ratioP99}: target (within 20 %) **${met ? 'met' : 'missed'}**${Number.isNaN(ratioP50) ? ' (a phase had no answered request)' : ''}. TTFT ${qa.ttft.p50} / ${qa.ttft.p99} → ${qb.ttft.p50} / ${qb.ttft.p99} ms.`,
    `GPUs ${gpuBound ? 'were' : 'were not'} the bottleneck in B: at most ${fb.runningMax} of the model's ${fb.slots} slots (${fb.replicas} replica${fb.replicas === 1 ? '' : 's'}) ran at once, engine queue at most ${fb.waitingMax}${gpuBound ? '' : ' — the batch service runs at most BATCH_CHUNK_CONCURRENCY × BATCH_LINE_CONCURRENCY lines at once (16 × 8 = 128 by default), under the slots the scheduler lets batch work take on one replica (all but BATCH_RESERVE_FRACTION, 25 % by default)'}. The machine's CPU was ${cpuBound ? 'saturated' : 'not saturated'} in B${cpuBound && cA.idle < 10 ? ', and already in A (the streams alone kept the cores busy)' : ''}: idle ${cA.idle} % in A, ${cB.idle} % in B (top in B: ${top}).`,
  );
  if (!met) {
    reading.push(
      gpuBound
        ? 'With the slots full, a longer wait means interactive requests queued behind batch work at the scheduler: the interactive reserve did not hold.'
        : cpuBound
          ? 'With free slots and the CPU saturated, the added wait is the gateway, Kafka and the scheduler getting less CPU beside the batch service (the load generator shares the cores too), not the scheduler giving slots to the batch first.'
          : 'With free slots and CPU to spare, the added wait is not explained by saturation: look at the credit round trips (gateway demand → scheduler grants) while the batch holder reports its waiting lines.',
    );
  }
  if (loadStatusAfter !== 'in_progress') reading.push(`The load batch was ${loadStatusAfter} before phase B ended (${loadDone} lines done): B was not under load throughout; raise BENCH_BATCH_LOAD_LINES.`);
  lines.push(reading.join(' '));
  return lines.join('\n\n');
}
