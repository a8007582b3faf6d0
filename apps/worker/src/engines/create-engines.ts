import { parseFleetSpec } from '../sim/fleet-spec.js';
import { SimMachine } from '../sim/sim-machine.js';
import { type WorkerConfig } from '../worker.config.js';
import { realEngineSettings } from './engine-settings.js';
import { GpuSource } from './gpu-source.js';
import { type InferenceServer } from './inference-server.js';
import { type EngineLog, type MachineEngine } from './machine-engine.js';
import { OllamaServer } from './ollama-server.js';
import { OpenAiServer } from './openai-server.js';
import { RemoteMachine } from './remote-machine.js';
import { SimMachineEngine } from './sim-machine-engine.js';

/** The machines of this process, from its config: simulated ones, or one per real server URL. Throws ConfigError on a bad engine setup. */
export function createEngines(config: WorkerConfig, log: EngineLog): MachineEngine[] {
  const workerId = (i: number) => `${config.WORKER_ID_PREFIX}-${i + 1}`;
  const real = realEngineSettings(config);
  if (!real) {
    return parseFleetSpec(config.WORKER_FLEET).map((spec, i) => {
      const port = config.WORKER_BASE_PORT + i;
      const machine = new SimMachine(workerId(i), `http://${config.HTTP_HOST}:${port}`, spec, {
        timeScale: config.SIM_TIME_SCALE,
        loadGBs: config.SIM_LOAD_BANDWIDTH_GBS,
        log: (entry) => log.log(entry),
      });
      return new SimMachineEngine(machine, config.HTTP_HOST, port, log);
    });
  }
  // Shared: every machine of the process sits on the same host's GPUs as far as nvidia-smi knows.
  const gpus = new GpuSource(real.gpus, config.HEARTBEAT_INTERVAL_MS / 2, undefined, (entry) => log.warn(entry));
  return real.urls.map((baseUrl, i) => {
    const options = { baseUrl, maxRunning: real.maxRunning, workerId: workerId(i), log };
    const server: InferenceServer = real.engine === 'openai' ? new OpenAiServer(options) : new OllamaServer(options);
    // Machine n's /metrics on the port a simulated machine n would have: Prometheus scrapes both alike.
    return new RemoteMachine(workerId(i), server, gpus, config.HEARTBEAT_INTERVAL_MS, log, { host: config.HTTP_HOST, port: config.WORKER_BASE_PORT + i });
  });
}
