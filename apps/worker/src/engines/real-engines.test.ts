import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

import { workerHeartbeat, type FleetCommand } from '@llmaas/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { prometheusText } from '../http/metrics.js';
import { gpuProfiles } from '../sim/gpu-profiles.js';
import { GpuSource } from './gpu-source.js';
import { type EngineLog } from './machine-engine.js';
import { OllamaServer } from './ollama-server.js';
import { OpenAiServer } from './openai-server.js';
import { RemoteMachine } from './remote-machine.js';

type Route = (req: IncomingMessage, body: string, res: ServerResponse) => void;

const servers: Server[] = [];

async function serve(route: Route): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => route(req, body, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map(close));
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function recordingLog(): EngineLog & { lines: { level: string; msg: unknown }[] } {
  const lines: { level: string; msg: unknown }[] = [];
  return {
    lines,
    log: (entry) => lines.push({ level: 'log', msg: entry['msg'] }),
    warn: (entry) => lines.push({ level: 'warn', msg: entry['msg'] }),
    error: (entry) => lines.push({ level: 'error', msg: entry['msg'] }),
  };
}

const noNvidiaSmi = () => Promise.resolve(undefined);
const h100 = gpuProfiles['H100-80GB']!;
const command = (action: FleetCommand['action'], extra: Partial<FleetCommand> = {}): FleetCommand => ({
  commandId: 'c1',
  workerId: 'worker-1',
  action,
  issuedAt: new Date().toISOString(),
  ...extra,
});

const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

/** A vLLM server as the worker sees it: /v1/models and /metrics, counters moving between scrapes. */
async function fakeVllm(state: { running: number; waiting: number; kv: number; generated: number }): Promise<string> {
  return serve((req, _body, res) => {
    if (req.url === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model', created: 1, owned_by: 'vllm', root: MODEL, parent: null, max_model_len: 8192 }] });
    if (req.url === '/metrics') {
      const labels = `{engine="0",model_name="${MODEL}"}`;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        [
          '# HELP vllm:num_requests_running Number of requests in model execution batches.',
          '# TYPE vllm:num_requests_running gauge',
          `vllm:num_requests_running${labels} ${state.running}.0`,
          '# TYPE vllm:num_requests_waiting gauge',
          `vllm:num_requests_waiting${labels} ${state.waiting}.0`,
          '# TYPE vllm:kv_cache_usage_perc gauge',
          `vllm:kv_cache_usage_perc${labels} ${state.kv}`,
          '# TYPE vllm:generation_tokens_total counter',
          `vllm:generation_tokens_total${labels} ${state.generated}.0`,
          'process_cpu_seconds_total 12.5',
          '',
        ].join('\n'),
      );
      return;
    }
    json(res, 404, { detail: 'Not Found' });
  });
}

function openAiMachine(url: string, log: EngineLog, timeoutMs?: number): RemoteMachine {
  const server = new OpenAiServer({ baseUrl: url, maxRunning: 256, workerId: 'worker-1', log, timeoutMs });
  return new RemoteMachine('worker-1', server, new GpuSource([h100], 0, noNvidiaSmi), 60_000, log);
}

describe('openai engine against a fake vLLM', () => {
  it('reports the served model with vLLM batching state and the profile GPUs', async () => {
    const state = { running: 5, waiting: 2, kv: 0.37, generated: 1000 };
    const url = await fakeVllm(state);
    const log = recordingLog();
    const machine = openAiMachine(url, log);
    await machine.refresh();
    const beat = workerHeartbeat.parse(machine.heartbeat(new Date()));
    expect(beat).toMatchObject({ engine: 'openai', endpoint: url, queueDepth: 2, running: 5, cordoned: false, seq: 1 });
    expect(beat.models).toEqual([{ model: MODEL, state: 'ready', vramMiB: 0, running: 5, waiting: 2, maxRunning: 256, kvCacheUsage: 0.37 }]);
    expect(beat.gpus).toEqual([{ index: 0, name: h100.name, vramTotalMiB: 81559, vramUsedMiB: 0 }]);

    state.generated = 3000;
    state.waiting = 0;
    await machine.refresh();
    const next = machine.heartbeat(new Date());
    expect(next.queueDepth).toBe(0);
    expect(next.tokensPerSecond).toBeGreaterThan(0);
    expect(log.lines.filter((l) => l.level !== 'log')).toEqual([]);
    await machine.stop();
  });

  it("serves the machine's /metrics on its own port: vLLM's gauges as read, models, and GPUs only as nvidia-smi measured them", async () => {
    const url = await fakeVllm({ running: 5, waiting: 2, kv: 0.37, generated: 1000 });
    const log = recordingLog();
    const smi = () => Promise.resolve([{ index: 0, name: 'NVIDIA H200', memoryTotalMiB: 143771, memoryUsedMiB: 21491 }]);
    const port = await freePort();
    const machine = new RemoteMachine('worker-1', new OpenAiServer({ baseUrl: url, maxRunning: 256, workerId: 'worker-1', log }), new GpuSource([h100], 0, smi), 60_000, log, { host: '127.0.0.1', port });
    await machine.start();
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await res.text()).toBe(
      [
        '# HELP vllm:num_requests_running Number of requests in model execution batches.',
        '# TYPE vllm:num_requests_running gauge',
        `vllm:num_requests_running{model_name="${MODEL}"} 5`,
        '# HELP vllm:num_requests_waiting Number of requests waiting to be processed.',
        '# TYPE vllm:num_requests_waiting gauge',
        `vllm:num_requests_waiting{model_name="${MODEL}"} 2`,
        '# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.',
        '# TYPE vllm:kv_cache_usage_perc gauge',
        `vllm:kv_cache_usage_perc{model_name="${MODEL}"} 0.37`,
        '# HELP llmaas_gpu_vram_total_bytes Memory of the GPU in bytes.',
        '# TYPE llmaas_gpu_vram_total_bytes gauge',
        'llmaas_gpu_vram_total_bytes{gpu="0"} 150754820096',
        '# HELP llmaas_gpu_vram_used_bytes Memory of the GPU in use, in bytes.',
        '# TYPE llmaas_gpu_vram_used_bytes gauge',
        'llmaas_gpu_vram_used_bytes{gpu="0"} 22534946816',
        '# HELP llmaas_worker_model_loaded Models on the machine (1 per model, by state: loading, ready, unloading).',
        '# TYPE llmaas_worker_model_loaded gauge',
        `llmaas_worker_model_loaded{model="${MODEL}",state="ready"} 1`,
        '',
      ].join('\n'),
    );
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok', worker: 'worker-1' });
    expect((await fetch(`http://127.0.0.1:${port}/v1/models`)).status).toBe(404);
    await machine.stop();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });

  it('leaves out what it does not know: VRAM without nvidia-smi (vLLM gives no sizes), queues without vLLM metrics', async () => {
    const url = await serve((req, _body, res) => (req.url === '/v1/models' ? json(res, 200, { object: 'list', data: [{ id: 'qwen3-0.6b', object: 'model' }] }) : json(res, 404, {})));
    const machine = openAiMachine(url, recordingLog());
    await machine.refresh();
    expect(machine.metrics()).toMatchObject({ gpus: [], batching: false, models: [{ model: 'qwen3-0.6b', state: 'ready' }] });
    expect(prometheusText(machine.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toEqual(['llmaas_worker_model_loaded{model="qwen3-0.6b",state="ready"} 1']);
    await machine.stop();
  });

  it('refuses load and unload, and cordons or drains through the heartbeat', async () => {
    const machine = openAiMachine(await fakeVllm({ running: 0, waiting: 0, kv: 0, generated: 0 }), recordingLog());
    await machine.refresh();
    const spec = { kind: 'chat' as const, paramsBillion: 8, contextLength: 8192, reasoning: false, vramMiB: 16_000 };
    expect(machine.apply(command('load', { model: 'other', spec }))).toMatchObject({ applied: false, detail: expect.stringMatching(/cannot load/) as string });
    expect(machine.apply(command('unload', { model: MODEL })).applied).toBe(false);
    expect(machine.heartbeat(new Date()).models.map((m) => m.model)).toEqual([MODEL]);
    expect(machine.apply(command('drain')).applied).toBe(true);
    expect(machine.heartbeat(new Date()).cordoned).toBe(true);
    machine.apply(command('uncordon'));
    expect(machine.heartbeat(new Date()).cordoned).toBe(false);
    machine.apply(command('cordon'));
    expect(machine.heartbeat(new Date()).cordoned).toBe(true);
    await machine.stop();
  });

  it('serves a server without vLLM metrics (llama.cpp) with an empty queue', async () => {
    const url = await serve((req, _body, res) => (req.url === '/v1/models' ? json(res, 200, { object: 'list', data: [{ id: 'qwen3-0.6b', object: 'model' }] }) : json(res, 404, {})));
    const log = recordingLog();
    const machine = openAiMachine(url, log);
    await machine.refresh();
    await machine.refresh();
    expect(machine.heartbeat(new Date()).models).toEqual([{ model: 'qwen3-0.6b', state: 'ready', vramMiB: 0, running: 0, waiting: 0, maxRunning: 256, kvCacheUsage: 0 }]);
    expect(log.lines.filter((l) => String(l.msg).includes('no vLLM metrics'))).toHaveLength(1);
    await machine.stop();
  });

  it('reports no models for an unreachable or silent server, warning once per transition', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await close(probe);
    const log = recordingLog();
    const dead = openAiMachine(deadUrl, log);
    await dead.refresh();
    await dead.refresh();
    const beat = workerHeartbeat.parse(dead.heartbeat(new Date()));
    expect(beat.models).toEqual([]);
    expect(beat.gpus).toHaveLength(1);
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([{ level: 'warn', msg: 'inference server not answering; reporting no models' }]);

    const silentUrl = await serve(() => undefined);
    const silentLog = recordingLog();
    const silent = openAiMachine(silentUrl, silentLog, 100);
    await silent.refresh();
    expect(silent.heartbeat(new Date()).models).toEqual([]);
    expect(silentLog.lines.some((l) => l.level === 'warn')).toBe(true);
    await Promise.all([dead.stop(), silent.stop()]);
  });

  it('tells when a server answers again', async () => {
    let up = false;
    const url = await serve((req, _body, res) => (up && req.url === '/v1/models' ? json(res, 200, { data: [{ id: 'm' }] }) : json(res, 503, { error: 'starting' })));
    const log = recordingLog();
    const machine = openAiMachine(url, log);
    await machine.refresh();
    expect(machine.heartbeat(new Date()).models).toEqual([]);
    up = true;
    await machine.refresh();
    expect(machine.heartbeat(new Date()).models.map((m) => m.model)).toEqual(['m']);
    expect(log.lines.map((l) => l.msg)).toContain('inference server answering again');
    await machine.stop();
  });

  it('polls on its own once started, and stops polling when stopped', async () => {
    let polls = 0;
    const url = await serve((req, _body, res) => {
      if (req.url === '/v1/models') polls += 1;
      json(res, 200, { data: [{ id: 'm' }] });
    });
    const log = recordingLog();
    const machine = new RemoteMachine('worker-1', new OpenAiServer({ baseUrl: url, maxRunning: 4, workerId: 'worker-1', log }), new GpuSource([h100], 0, noNvidiaSmi), 20, log);
    await machine.start();
    await vi.waitFor(() => expect(polls).toBeGreaterThanOrEqual(3));
    await machine.stop();
    const after = polls;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(polls).toBeLessThanOrEqual(after + 1);
  });
});

/** An Ollama server: /api/ps tells what it holds; /api/generate without a prompt loads or unloads. */
async function fakeOllama(loadDelayMs = 0): Promise<{ url: string; held: Map<string, number>; generate: unknown[] }> {
  const held = new Map<string, number>([['qwen3:0.6b', 943_718_400]]);
  const generate: unknown[] = [];
  const url = await serve((req, body, res) => {
    if (req.method === 'GET' && req.url === '/api/ps') {
      return json(res, 200, { models: [...held].map(([name, size_vram]) => ({ name, model: name, size: size_vram, digest: 'x', details: {}, expires_at: '2099-01-01T00:00:00Z', size_vram })) });
    }
    if (req.method === 'POST' && req.url === '/api/generate') {
      const request = JSON.parse(body) as { model: string; keep_alive: string | number };
      generate.push(request);
      if (request.model === 'missing:1b') return json(res, 404, { error: `model "${request.model}" not found, try pulling it first` });
      if (request.keep_alive === 0) {
        held.delete(request.model);
        return json(res, 200, { model: request.model, created_at: '2025-01-01T00:00:00Z', response: '', done: true, done_reason: 'unload' });
      }
      setTimeout(() => {
        held.set(request.model, 2 * 1024 ** 3);
        json(res, 200, { model: request.model, created_at: '2025-01-01T00:00:00Z', response: '', done: true, done_reason: 'load' });
      }, loadDelayMs);
      return;
    }
    json(res, 404, { error: 'not found' });
  });
  return { url, held, generate };
}

function ollamaMachine(url: string, log: EngineLog): { machine: RemoteMachine; server: OllamaServer } {
  const server = new OllamaServer({ baseUrl: url, maxRunning: 4, workerId: 'worker-1', log });
  return { machine: new RemoteMachine('worker-1', server, new GpuSource([h100], 0, noNvidiaSmi), 60_000, log), server };
}

const spec = { kind: 'chat' as const, paramsBillion: 3, contextLength: 8192, reasoning: false, vramMiB: 2048 };

describe('ollama engine against a fake Ollama', () => {
  it('reports /api/ps models with their VRAM, OLLAMA_NUM_PARALLEL and the base URL as endpoint', async () => {
    const { url } = await fakeOllama();
    const { machine } = ollamaMachine(url, recordingLog());
    await machine.refresh();
    const beat = workerHeartbeat.parse(machine.heartbeat(new Date()));
    expect(beat).toMatchObject({ engine: 'ollama', endpoint: url, queueDepth: 0, running: 0 });
    expect(beat.models).toEqual([{ model: 'qwen3:0.6b', state: 'ready', vramMiB: 900, running: 0, waiting: 0, maxRunning: 4, kvCacheUsage: 0 }]);
    expect(beat.gpus[0]?.vramUsedMiB).toBe(900);
    await machine.stop();
  });

  it('loads with keep_alive 24h, reporting the model loading until /api/ps shows it', async () => {
    const fake = await fakeOllama(150);
    const log = recordingLog();
    const { machine, server } = ollamaMachine(fake.url, log);
    await machine.refresh();
    expect(machine.apply(command('load', { model: 'llama3.2:3b', spec }))).toEqual({ applied: true, detail: 'loading llama3.2:3b' });
    expect(machine.heartbeat(new Date()).models.find((m) => m.model === 'llama3.2:3b')).toMatchObject({ state: 'loading', vramMiB: 2048 });
    // Without nvidia-smi, VRAM in use is what /api/ps says, not the catalog size of a load under way.
    expect(machine.metrics()).toMatchObject({
      gpus: [{ index: 0, vramTotalMiB: 81559, vramUsedMiB: 900 }],
      models: [
        { model: 'qwen3:0.6b', state: 'ready' },
        { model: 'llama3.2:3b', state: 'loading' },
      ],
    });
    await machine.refresh();
    expect(machine.heartbeat(new Date()).models.find((m) => m.model === 'llama3.2:3b')).toMatchObject({ state: 'loading', vramMiB: 2048 });
    await server.settled();
    expect(fake.generate).toEqual([{ model: 'llama3.2:3b', keep_alive: '24h' }]);
    await machine.refresh();
    const beat = workerHeartbeat.parse(machine.heartbeat(new Date()));
    expect(beat.models.map((m) => [m.model, m.state, m.vramMiB])).toEqual([
      ['qwen3:0.6b', 'ready', 900],
      ['llama3.2:3b', 'ready', 2048],
    ]);
    expect(beat.gpus[0]?.vramUsedMiB).toBe(2948);
    expect(machine.metrics().gpus).toEqual([{ index: 0, name: h100.name, vramTotalMiB: 81559, vramUsedMiB: 2948 }]);
    expect(log.lines.map((l) => l.msg)).toContain('model ready');
    await machine.stop();
  });

  it('tells no VRAM for a server that does not answer (unknown, not zero)', async () => {
    const fake = await fakeOllama();
    const { machine } = ollamaMachine(fake.url, recordingLog());
    await machine.refresh();
    expect(machine.metrics().gpus).toHaveLength(1);
    await Promise.all(servers.splice(0).map(close));
    await machine.refresh();
    expect(machine.metrics()).toEqual({ gpus: [], models: [], batching: false });
    await machine.stop();
  });

  it('unloads with keep_alive 0 and refuses to unload what it does not hold', async () => {
    const fake = await fakeOllama();
    const { machine, server } = ollamaMachine(fake.url, recordingLog());
    await machine.refresh();
    expect(machine.apply(command('unload', { model: 'absent:1b' })).applied).toBe(false);
    expect(machine.apply(command('unload', { model: 'qwen3:0.6b' }))).toEqual({ applied: true, detail: 'unloading qwen3:0.6b' });
    expect(machine.heartbeat(new Date()).models.map((m) => m.state)).toEqual(['unloading']);
    await server.settled();
    expect(fake.generate).toEqual([{ model: 'qwen3:0.6b', keep_alive: 0 }]);
    await machine.refresh();
    expect(machine.heartbeat(new Date()).models).toEqual([]);
    expect(machine.apply(command('unload'))).toEqual({ applied: false, detail: 'unload needs model' });
    await machine.stop();
  });

  it('drops a failed load and warns', async () => {
    const fake = await fakeOllama();
    const log = recordingLog();
    const { machine, server } = ollamaMachine(fake.url, log);
    await machine.refresh();
    expect(machine.apply(command('load', { model: 'missing:1b', spec })).applied).toBe(true);
    await server.settled();
    await machine.refresh();
    expect(machine.heartbeat(new Date()).models.map((m) => m.model)).toEqual(['qwen3:0.6b']);
    expect(log.lines).toContainEqual({ level: 'warn', msg: 'load failed' });
    await machine.stop();
  });

  it('renews the keep-alive of a model it already holds', async () => {
    const fake = await fakeOllama();
    const { machine, server } = ollamaMachine(fake.url, recordingLog());
    await machine.refresh();
    expect(machine.apply(command('load', { model: 'qwen3:0.6b', spec }))).toEqual({ applied: true, detail: 'qwen3:0.6b already present' });
    await server.settled();
    expect(fake.generate).toEqual([{ model: 'qwen3:0.6b', keep_alive: '24h' }]);
    await machine.stop();
  });
});
