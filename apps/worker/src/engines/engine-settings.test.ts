import { ConfigError } from '@llmaas/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { workerEnv } from '../worker.config.js';
import { realEngineSettings, splitEngineUrls } from './engine-settings.js';

const schema = z.object(workerEnv);

describe('real engine settings', () => {
  it('is sim by default and needs no URL', () => {
    const config = schema.parse({});
    expect(config.WORKER_ENGINE).toBe('sim');
    expect(realEngineSettings(config)).toBeUndefined();
  });

  it('stops an openai or ollama engine without URLs, naming WORKER_ENGINE_URLS', () => {
    for (const engine of ['openai', 'ollama']) {
      const run = () => realEngineSettings(schema.parse({ WORKER_ENGINE: engine }));
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(/WORKER_ENGINE_URLS/);
    }
  });

  it('defaults the batch cap per engine and reads the GPU profile', () => {
    const openai = realEngineSettings(schema.parse({ WORKER_ENGINE: 'openai', WORKER_ENGINE_URLS: 'http://gpu-1:8000/, http://gpu-2:8000/v1' }));
    expect(openai).toMatchObject({ engine: 'openai', urls: ['http://gpu-1:8000', 'http://gpu-2:8000'], maxRunning: 256 });
    expect(openai?.gpus.map((g) => g.vramTotalMiB)).toEqual([81559]);
    const ollama = realEngineSettings(schema.parse({ WORKER_ENGINE: 'ollama', WORKER_ENGINE_URLS: 'http://127.0.0.1:11434', WORKER_GPU_PROFILE: '2xL40S-48GB' }));
    expect(ollama).toMatchObject({ engine: 'ollama', maxRunning: 4 });
    expect(ollama?.gpus).toHaveLength(2);
    expect(realEngineSettings(schema.parse({ WORKER_ENGINE: 'ollama', WORKER_ENGINE_URLS: 'http://h:1', ENGINE_MAX_RUNNING: '8' }))?.maxRunning).toBe(8);
  });

  it('rejects bad URLs, unknown engines and profiles, and a fleet given as a profile', () => {
    for (const env of [
      { WORKER_ENGINE_URLS: 'gpu-1:8000' },
      { WORKER_ENGINE_URLS: 'ftp://gpu-1' },
      { WORKER_ENGINE_URLS: 'http://a:1,http://a:1/' },
      { WORKER_ENGINE_URLS: ' , ' },
      { WORKER_ENGINE: 'tgi' },
      { WORKER_GPU_PROFILE: 'B200' },
      { WORKER_GPU_PROFILE: 'H100-80GB*2' },
      { ENGINE_MAX_RUNNING: '0' },
    ]) {
      expect(schema.safeParse(env).success, JSON.stringify(env)).toBe(false);
    }
    const issue = schema.safeParse({ WORKER_ENGINE_URLS: 'http://ok:1,nope' }).error?.issues[0];
    expect(issue?.path).toEqual(['WORKER_ENGINE_URLS']);
    expect(issue?.message).toMatch(/"nope" is not a URL/);
  });

  it('splits and normalises URL lists', () => {
    expect(splitEngineUrls(' http://a:1/ ,,http://b:2/v1/ ')).toEqual(['http://a:1', 'http://b:2']);
  });
});
