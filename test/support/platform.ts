import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const exec = promisify(execFile);

/** Ports as infra/services.sh starts them. */
export const servicePorts = {
  gateway: 8080,
  auth: 9101,
  'prompt-guard': 9102,
  scheduler: 9103,
  billing: 9104,
  lifecycle: 9105,
  batch: 9106,
  worker: 9107,
} as const;
export type PlatformService = keyof typeof servicePorts;

export const gatewayUrl = `http://127.0.0.1:${servicePorts.gateway}`;
export const kafkaBrokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

export function adminKey(): string {
  const text = readFileSync(join(repoRoot, '.data', 'secrets.env'), 'utf8');
  const match = /^LLMAAS_ADMIN_KEY=(.+)$/m.exec(text);
  if (!match?.[1]) throw new Error('no LLMAAS_ADMIN_KEY in .data/secrets.env: start the platform with ./llmaas up');
  return match[1];
}

/** The demo tenant's developer key, written by ./llmaas up into .data/demo.env. */
export function developerKey(): string {
  const text = readFileSync(join(repoRoot, '.data', 'demo.env'), 'utf8');
  const match = /^OPENAI_API_KEY=(.+)$/m.exec(text);
  if (!match?.[1]) throw new Error('no OPENAI_API_KEY in .data/demo.env: start the platform with ./llmaas up');
  return match[1];
}

export async function adminGet(path: string): Promise<Response> {
  return fetch(`${gatewayUrl}${path}`, { headers: { authorization: `Bearer ${adminKey()}` } });
}

export async function readyz(service: PlatformService): Promise<{ status: number; body: { dependencies?: Record<string, string> } }> {
  try {
    const res = await fetch(`http://127.0.0.1:${servicePorts[service]}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as { dependencies?: Record<string, string> } };
  } catch {
    return { status: 0, body: {} };
  }
}

/** Polls until `check` holds or the time is up; returns the last value for the assertion. */
export async function eventually<T>(check: () => Promise<T>, accept: (value: T) => boolean, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await check();
  }
  return value;
}

export async function infra(...args: string[]): Promise<void> {
  await exec('bash', args, { cwd: repoRoot, timeout: 180_000 });
}
