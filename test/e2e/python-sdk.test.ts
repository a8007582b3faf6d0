import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { smallestServed } from '../support/models.js';
import { developerKey, gatewayUrl, repoRoot } from '../support/platform.js';

const run = promisify(execFile);

// The official Python `openai` package (installed by infra/install.sh into .data/pyenv), driven
// by test/python/sdk_check.py; each of its checks is reported here. The batch checks wait up to
// 120 s each for their batches to finish, hence the long timeouts.
describe('the Python openai package against the gateway', () => {
  it('passes every check of sdk_check.py', async () => {
    const env = {
      ...process.env,
      OPENAI_BASE_URL: `${gatewayUrl}/v1`,
      OPENAI_API_KEY: developerKey(),
      CHAT_MODEL: await smallestServed('chat', (m) => !m.reasoning),
      EMBEDDING_MODEL: await smallestServed('embedding'),
    };
    const python = join(repoRoot, '.data', 'pyenv', 'bin', 'python');
    const outcome = await run(python, [join(repoRoot, 'test', 'python', 'sdk_check.py')], { env, timeout: 450_000 }).catch((error: { stdout?: string; stderr?: string }) => error);
    const lines = (outcome.stdout ?? '').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { check: string; ok: boolean; error?: string });
    expect(lines.length, outcome.stderr).toBe(9);
    for (const line of lines) expect(line, line.error).toMatchObject({ ok: true });
  }, 480_000);
});
