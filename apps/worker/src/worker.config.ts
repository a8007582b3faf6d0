import { z } from 'zod';

import { engineUrlProblem, parseGpuProfile } from './engines/engine-settings.js';
import { parseFleetSpec } from './sim/fleet-spec.js';

export const workerEnv = {
  WORKER_ENGINE: z
    .enum(['sim', 'openai', 'ollama'])
    .default('sim')
    .describe('What the machines of this process are: sim (simulated, WORKER_FLEET), openai (OpenAI-compatible servers such as vLLM) or ollama'),
  WORKER_ENGINE_URLS: z
    .string()
    .optional()
    .refine((urls) => urls === undefined || engineUrlProblem(urls) === undefined, { error: (issue) => engineUrlProblem(String(issue.input)) ?? 'invalid' })
    .describe('Comma-separated base URLs of the inference servers, one machine each (required when WORKER_ENGINE is openai or ollama)'),
  WORKER_GPU_PROFILE: z
    .string()
    .default('H100-80GB')
    .refine((profile) => {
      try {
        parseGpuProfile(profile);
        return true;
      } catch {
        return false;
      }
    }, 'expected [Nx]PROFILE with profiles H100-80GB, H200-141GB, L40S-48GB, A100-80GB')
    .describe('GPUs of a real-engine machine where nvidia-smi is absent, as [Nx]PROFILE'),
  ENGINE_MAX_RUNNING: z.coerce
    .number()
    .int()
    .positive()
    .max(100_000)
    .optional()
    .describe("Requests a real server runs at once per model: vLLM's --max-num-seqs (default 256) or Ollama's OLLAMA_NUM_PARALLEL (default 4)"),
  WORKER_FLEET: z
    .string()
    .default('H100-80GB*6,H200-141GB*4,L40S-48GB*2')
    .refine((spec) => {
      try {
        parseFleetSpec(spec);
        return true;
      } catch {
        return false;
      }
    }, 'expected [Nx]PROFILE[*COUNT],... with profiles H100-80GB, H200-141GB, L40S-48GB, A100-80GB')
    .describe('Simulated machines this process hosts'),
  WORKER_ID_PREFIX: z.string().regex(/^[a-z0-9-]+$/).default('worker').describe('Worker ids are <prefix>-<n>'),
  WORKER_BASE_PORT: z.coerce.number().int().min(1).max(65000).default(9301).describe('Port of the first machine; the n-th listens on base + n - 1 (a real-engine machine serves only its /metrics there)'),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  SIM_TIME_SCALE: z.coerce
    .number()
    .min(0)
    .max(1000)
    .default(1)
    .describe('Multiplies every simulated engine latency (load, prefill, decode); 0 = no latency, tokens as fast as possible'),
  SIM_LOAD_BANDWIDTH_GBS: z.coerce
    .number()
    .positive()
    .max(1000)
    .default(2)
    .describe('GB/s at which a simulated machine loads weights into VRAM: load time = weights bytes / this × SIM_TIME_SCALE'),
};

export type WorkerConfig = z.infer<z.ZodObject<typeof workerEnv>> & { HTTP_HOST: string };
