import { type Server } from 'node:http';

import { type FleetCommand, type LoadedModel, type WorkerHeartbeat } from '@llmaas/contracts';

import { listenMetricsEndpoint } from '../fleet/metrics-endpoint.js';
import { type MachineMetrics } from '../http/metrics.js';

import { heartbeatGpus, type GpuReading, type GpuSource } from './gpu-source.js';
import { type InferenceServer, type ServerState } from './inference-server.js';
import { type CommandOutcome, type EngineLog, type MachineEngine } from './machine-engine.js';
import { OperatorState } from './operator-state.js';
import { TransitionLog } from './transition-log.js';

const UNREACHABLE: ServerState = { models: [], tokensPerSecond: 0 };

/**
 * A machine fronting a real inference server. It polls the server every interval (never two
 * polls at once) and keeps the last answer; the heartbeat reads that answer. A server that does
 * not answer is reported with no models, so the scheduler sends it no work.
 */
export class RemoteMachine implements MachineEngine {
  private seq = 0;
  private readonly startedAt = new Date().toISOString();
  private readonly operator = new OperatorState();
  private readonly reachability: TransitionLog;
  private state: ServerState = UNREACHABLE;
  private gpus: GpuReading | undefined;
  private timer: NodeJS.Timeout | undefined;
  private metricsServer: Server | undefined;
  private stopped = false;

  constructor(
    readonly workerId: string,
    private readonly server: InferenceServer,
    private readonly gpuSource: GpuSource,
    private readonly intervalMs: number,
    log: EngineLog,
    /** Where the machine's /metrics is served (the agent is its exporter); none in unit tests. */
    private readonly metricsAt?: { readonly host: string; readonly port: number },
  ) {
    this.reachability = new TransitionLog(
      (err) => log.warn({ msg: 'inference server not answering; reporting no models', workerId, url: server.baseUrl, err }),
      () => log.log({ msg: 'inference server answering again', workerId, url: server.baseUrl }),
    );
  }

  get engine(): InferenceServer['engine'] {
    return this.server.engine;
  }

  get endpoint(): string {
    return this.server.baseUrl;
  }

  async start(): Promise<void> {
    if (this.metricsAt) this.metricsServer = await listenMetricsEndpoint(this.metricsAt.host, this.metricsAt.port, this.workerId, () => this.metrics());
    await this.refresh();
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    // The next poll is timed from the end of this one, so a slow server never has polls pile up.
    this.timer = setTimeout(() => void this.refresh().finally(() => this.schedule()), this.intervalMs);
  }

  /** One poll of the server and the GPUs; never throws. */
  async refresh(): Promise<void> {
    const [state, gpus] = await Promise.all([
      this.server.poll().then(
        (state) => {
          this.reachability.ok();
          return state;
        },
        (error: unknown) => {
          this.reachability.failed(error);
          return UNREACHABLE;
        },
      ),
      this.gpuSource.read(),
    ]);
    this.state = state;
    this.gpus = gpus;
  }

  apply(command: FleetCommand): CommandOutcome {
    switch (command.action) {
      case 'cordon':
      case 'drain':
      case 'uncordon':
        return this.operator.apply(command.action);
      case 'load':
      case 'unload':
        return this.server.changeModels({ ...command, action: command.action });
    }
  }

  /** The last answer, with the commands the server does not show yet. */
  private models(): LoadedModel[] {
    const reachable = !this.reachability.isFailing;
    return reachable && this.server.overlay ? this.server.overlay(this.state.models) : this.state.models;
  }

  heartbeat(now: Date): WorkerHeartbeat {
    this.seq += 1;
    const models = this.models();
    const gpus = this.gpus ?? { gpus: [], measured: false };
    return {
      workerId: this.workerId,
      engine: this.server.engine,
      endpoint: this.server.baseUrl,
      gpus: heartbeatGpus(gpus, models.reduce((sum, m) => sum + m.vramMiB, 0)),
      models,
      queueDepth: models.reduce((sum, m) => sum + m.waiting, 0),
      running: models.reduce((sum, m) => sum + m.running, 0),
      tokensPerSecond: this.state.tokensPerSecond,
      cordoned: this.operator.closed(),
      seq: this.seq,
      startedAt: this.startedAt,
      sentAt: now.toISOString(),
    };
  }

  /**
   * What the machine's /metrics shows. GPUs as nvidia-smi measured them; without nvidia-smi, the
   * configured GPUs with the VRAM the server says its models hold (Ollama's /api/ps), or none where
   * nobody knows it (vLLM gives no model sizes; a server that does not answer).
   */
  metrics(): MachineMetrics {
    const models = this.models();
    const reachable = !this.reachability.isFailing;
    const batching = reachable && this.server.reportsBatching;
    const reading = this.gpus;
    if (reading?.measured) return { gpus: heartbeatGpus(reading, 0), models, batching };
    if (!reading || !reachable || !this.server.reportsModelVram) return { gpus: [], models, batching };
    // The poll's own figures, not the overlay's: a load under way would add the catalog's size.
    return { gpus: heartbeatGpus(reading, this.state.models.reduce((sum, m) => sum + m.vramMiB, 0)), models, batching };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.server.close();
    const metricsServer = this.metricsServer;
    if (metricsServer) await new Promise((resolve) => metricsServer.close(resolve));
  }
}
