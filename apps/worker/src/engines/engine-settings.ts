import { ConfigError } from '@llmaas/config';

import { parseFleetSpec } from '../sim/fleet-spec.js';
import { type GpuProfile } from '../sim/gpu-profiles.js';

/** Batch caps of the servers' own defaults: vLLM's --max-num-seqs, Ollama's OLLAMA_NUM_PARALLEL. */
export const DEFAULT_MAX_RUNNING = { openai: 256, ollama: 4 } as const;

export interface RealEngineSettings {
  readonly engine: 'openai' | 'ollama';
  readonly urls: readonly string[];
  readonly gpus: readonly GpuProfile[];
  readonly maxRunning: number;
}

interface EngineEnv {
  readonly WORKER_ENGINE: 'sim' | 'openai' | 'ollama';
  readonly WORKER_ENGINE_URLS?: string | undefined;
  readonly WORKER_GPU_PROFILE: string;
  readonly ENGINE_MAX_RUNNING?: number | undefined;
}

/** One machine's GPUs, `[Nx]PROFILE` as in WORKER_FLEET but for a single machine. */
export function parseGpuProfile(profile: string): readonly GpuProfile[] {
  const machines = parseFleetSpec(profile);
  if (machines.length !== 1 || profile.includes(',') || profile.includes('*')) throw new Error(`"${profile}" describes more than one machine`);
  return machines[0]!.gpus;
}

/**
 * A server's base URL as the gateway wants it: no trailing slash and no /v1, since the gateway
 * appends /v1/chat/completions itself.
 */
export function normaliseBaseUrl(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function splitEngineUrls(urls: string): string[] {
  return urls
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0)
    .map(normaliseBaseUrl);
}

/** Why WORKER_ENGINE_URLS is unusable, or undefined when every entry is an http(s) URL. */
export function engineUrlProblem(urls: string): string | undefined {
  const list = splitEngineUrls(urls);
  if (list.length === 0) return 'expected comma-separated http(s) base URLs';
  for (const url of list) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `"${url}" is not a URL`;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `"${url}" is not an http(s) URL`;
  }
  if (new Set(list).size !== list.length) return 'a URL is listed twice (each URL is one machine)';
  return undefined;
}

/**
 * The settings of a real engine, or undefined for sim. The env schema checks each variable alone;
 * that the URLs are required for openai and ollama spans two variables, so it is checked here, at
 * start, with the same kind of error.
 */
export function realEngineSettings(env: EngineEnv): RealEngineSettings | undefined {
  if (env.WORKER_ENGINE === 'sim') return undefined;
  const urls = env.WORKER_ENGINE_URLS === undefined ? [] : splitEngineUrls(env.WORKER_ENGINE_URLS);
  if (urls.length === 0) {
    throw new ConfigError([`missing required environment variable WORKER_ENGINE_URLS (comma-separated base URLs of the ${env.WORKER_ENGINE} servers, required when WORKER_ENGINE=${env.WORKER_ENGINE})`]);
  }
  return {
    engine: env.WORKER_ENGINE,
    urls,
    gpus: parseGpuProfile(env.WORKER_GPU_PROFILE),
    maxRunning: env.ENGINE_MAX_RUNNING ?? DEFAULT_MAX_RUNNING[env.WORKER_ENGINE],
  };
}
