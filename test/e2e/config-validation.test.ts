import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from '../support/platform.js';

function runService(app: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'apps', app, 'dist', 'main.js')], {
      // Only what the test gives: nothing inherited may fill the gap.
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not exit within 20 s; stderr: ${stderr}`));
    }, 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('configuration validated at start', () => {
  it.each(['gateway', 'auth', 'prompt-guard', 'scheduler', 'billing', 'lifecycle', 'batch', 'worker'])(
    '%s exits non-zero naming a missing KAFKA_BROKERS',
    async (app) => {
      const { code, stderr } = await runService(app, { HTTP_PORT: '0' });
      expect(code).not.toBe(0);
      expect(stderr).toContain('missing required environment variable KAFKA_BROKERS');
    },
  );

  it('names every missing variable of a service at once', async () => {
    const { code, stderr } = await runService('auth', { KAFKA_BROKERS: '127.0.0.1:19092' });
    expect(code).toBe(1);
    expect(stderr).toContain('missing required environment variable DATABASE_URL');
    expect(stderr).not.toContain('KAFKA_BROKERS');
  });

  it('reports a malformed value as invalid', async () => {
    const { code, stderr } = await runService('scheduler', { KAFKA_BROKERS: 'not-a-broker' });
    expect(code).toBe(1);
    expect(stderr).toContain('KAFKA_BROKERS is invalid');
  });
});
