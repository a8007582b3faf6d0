import { randomUUID } from 'node:crypto';

import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import { auditEventOf, topics, type CreditGrants, type FleetCommand, type GatewayDemand, type ModelSpec, type Principal } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { CatalogDirectory, SERVICE_CONFIG } from '@llmaas/service-kit';

import { checkFleetCommand, type FleetAction } from '../fleet/fleet-admin.js';
import { FleetService } from '../fleet/fleet.service.js';
import { type SchedulerConfig } from '../scheduler.config.js';
import { type GatewayNeeds, type Grant, type WorkerCapacity } from './capacity-model.js';
import { allocateCredits } from './credit-allocation.js';
import { planPlacement, slotKey, unplaceableReason } from './placement.js';

interface PendingLoad {
  workerId: string;
  model: string;
  vramMiB: number;
  issuedAt: number;
}

/**
 * The scheduler's one authority over capacity: from heartbeats (what workers hold and run) and
 * gateways' demand (what they hold, use and wait for), it grants credits and places models.
 * Nothing here is durable: after a restart, one heartbeat interval and one demand interval
 * rebuild it, and gateways' reported holdings keep running work pinned where it is.
 */
@Injectable()
export class CapacityService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('capacity');
  private readonly demands = new Map<string, { needs: GatewayNeeds; receivedAt: number }>();
  private readonly lastPublished = new Map<string, { fingerprint: string; at: number }>();
  private readonly lastActive = new Map<string, number>();
  private pendingLoads: PendingLoad[] = [];
  private readonly startedAt = new Date().toISOString();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private soon = false;
  private running = false;
  private readonly meter = metrics.getMeter('llmaas.scheduler');
  private lastPlan = new Map<string, Grant[]>();

  constructor(
    private readonly fleet: FleetService,
    private readonly catalog: CatalogDirectory,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.allocate(), this.config.ALLOCATION_INTERVAL_MS);
    this.timer.unref();
    this.meter.createObservableGauge('llmaas_scheduler_waiting_requests', { description: 'Requests waiting at gateways for a slot, by model and class' }).addCallback((result) => {
      for (const { needs } of this.demands.values()) for (const w of needs.waiting) result.observe(w.count, { model: w.model, priority: w.priority, gateway: needs.gatewayId });
    });
    this.meter.createObservableGauge('llmaas_scheduler_credits_granted', { description: 'Credits granted to gateways, by model' }).addCallback((result) => {
      const byModel = new Map<string, number>();
      for (const grants of this.lastPlan.values()) for (const g of grants) byModel.set(g.model, (byModel.get(g.model) ?? 0) + g.credits);
      for (const [model, n] of byModel) result.observe(n, { model });
    });
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** A gateway's report; a report with waiting requests is answered at once, not at the next tick. */
  observeDemand(demand: GatewayDemand): void {
    const receivedAt = Date.now();
    if (receivedAt - Date.parse(demand.sentAt) > this.config.GATEWAY_EXPIRE_MS) return; // a stale replay after a restart
    this.demands.set(demand.gatewayId, { needs: demand, receivedAt });
    if (demand.waiting.length > 0 && !this.soon) {
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        void this.allocate();
      });
    }
  }

  /** Heartbeats may have freed or added capacity: a gateway waiting for it should not wait a tick. */
  heartbeatSeen(): void {
    if ([...this.demands.values()].some((d) => d.needs.waiting.length > 0)) void this.allocate();
  }

  async allocate(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const now = Date.now();
      for (const [id, d] of this.demands) if (now - d.receivedAt > this.config.GATEWAY_EXPIRE_MS) this.demands.delete(id); // its credits return to the pool
      const fleet = this.capacity();
      const gateways = [...this.demands.values()].map((d) => d.needs);
      const plan = allocateCredits(fleet, gateways, { batchReserveFraction: this.config.BATCH_RESERVE_FRACTION });
      this.lastPlan = plan;
      await this.publishGrants(plan, this.unplaceable(fleet, gateways), now);
      await this.place(fleet, gateways, now);
    } catch (error) {
      this.logger.warn({ msg: 'allocation round failed; the next tick retries', err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.running = false;
    }
  }

  /** An operator's command: checked against the fleet as it is now, sent, audited. */
  async command(caller: Principal, workerId: string, action: FleetAction, model: string | undefined): Promise<FleetCommand> {
    const worker = this.capacity().find((w) => w.workerId === workerId);
    const spec = model ? this.specOf(model) : undefined;
    const pending = this.pendingLoads.filter((p) => p.workerId === workerId).reduce((s, p) => s + p.vramMiB, 0);
    checkFleetCommand(worker, action, model, spec, pending);
    const command: FleetCommand = { commandId: randomUUID(), workerId, action, model, spec: action === 'load' ? spec : undefined, issuedAt: new Date().toISOString() };
    if (action === 'load' && model && spec) this.pendingLoads.push({ workerId, model, vramMiB: spec.vramMiB, issuedAt: Date.now() });
    await this.events.publish(topics.fleetCommands, command);
    await this.events
      .publish(topics.auditEvents, auditEventOf('scheduler', caller, `fleet.${action}`, `workers/${workerId}${model ? `?model=${encodeURIComponent(model)}` : ''}`, null, { model: model ?? null }))
      .catch((error: unknown) => this.logger.error({ msg: 'audit event not published', action, workerId, err: error instanceof Error ? error.message : String(error) }));
    return command;
  }

  private specOf(model: string): ModelSpec | undefined {
    const entry = this.catalog.get(model);
    return entry ? { kind: entry.kind, paramsBillion: entry.paramsBillion, contextLength: entry.contextLength, reasoning: entry.reasoning, vramMiB: entry.vramMiB } : undefined;
  }

  private capacity(): (WorkerCapacity & { up: boolean })[] {
    return this.fleet.view().map((w) => ({
      up: w.up,
      workerId: w.workerId,
      endpoint: w.endpoint,
      available: w.up && !w.cordoned,
      placeable: w.engine !== 'openai',
      vramTotalMiB: w.gpus.reduce((s, g) => s + g.vramTotalMiB, 0),
      vramUsedMiB: w.gpus.reduce((s, g) => s + g.vramUsedMiB, 0),
      models: w.models.map((m) => ({ model: m.model, state: m.state, vramMiB: m.vramMiB, running: m.running, waiting: m.waiting, maxRunning: m.maxRunning })),
    }));
  }

  /** Per gateway: the models it waits for that no available worker could ever host. */
  private unplaceable(fleet: WorkerCapacity[], gateways: GatewayNeeds[]): Map<string, CreditGrants['unplaceable']> {
    const result = new Map<string, CreditGrants['unplaceable']>();
    for (const g of gateways) {
      const refused: CreditGrants['unplaceable'] = [];
      for (const model of new Set(g.waiting.map((w) => w.model))) {
        const spec = this.specOf(model);
        const reason = spec ? unplaceableReason({ ...spec, model }, fleet) : 'the model is not in the catalog';
        if (reason) refused.push({ model, reason });
      }
      result.set(g.gatewayId, refused);
    }
    return result;
  }

  private async publishGrants(plan: Map<string, Grant[]>, unplaceable: Map<string, CreditGrants['unplaceable']>, now: number): Promise<void> {
    const tables: CreditGrants[] = [];
    for (const [gatewayId, grants] of plan) {
      const refused = unplaceable.get(gatewayId) ?? [];
      const fingerprint = JSON.stringify([grants, refused]);
      const last = this.lastPublished.get(gatewayId);
      // Changes go out at once; an unchanged table is repeated now and then as a keep-alive.
      if (last && last.fingerprint === fingerprint && now - last.at < this.config.GRANT_REFRESH_MS) continue;
      this.seq += 1;
      tables.push({ gatewayId, grants, unplaceable: refused, seq: this.seq, schedulerStartedAt: this.startedAt, sentAt: new Date(now).toISOString() });
      this.lastPublished.set(gatewayId, { fingerprint, at: now });
    }
    if (tables.length > 0) await this.events.publishMany(topics.schedulerGrants, tables);
  }

  private async place(fleet: WorkerCapacity[], gateways: GatewayNeeds[], now: number): Promise<void> {
    const waiting = new Map<string, number>();
    const inUse = new Map<string, number>();
    for (const g of gateways) {
      for (const w of g.waiting) waiting.set(w.model, (waiting.get(w.model) ?? 0) + w.count);
      for (const h of g.holdings) {
        if (h.inUse === 0) continue;
        const key = slotKey(h.workerId, h.model);
        inUse.set(key, (inUse.get(key) ?? 0) + h.inUse);
        this.lastActive.set(key, now);
      }
    }
    for (const w of fleet) for (const m of w.models) if (m.running + m.waiting > 0) this.lastActive.set(slotKey(w.workerId, m.model), now);
    // A load shows up in heartbeats (loading, then ready) or is given up after a while.
    this.pendingLoads = this.pendingLoads.filter((p) => now - p.issuedAt < this.config.LOAD_TIMEOUT_MS && !fleet.some((w) => w.workerId === p.workerId && w.models.some((m) => m.model === p.model)));
    const specs = new Map<string, ModelSpec>();
    for (const model of waiting.keys()) {
      const spec = this.specOf(model);
      if (spec) specs.set(model, spec);
    }
    const actions = planPlacement({ fleet, waiting, inUse, specs, pendingLoads: this.pendingLoads, lastActive: this.lastActive });
    if (actions.length === 0) return;
    const issuedAt = new Date(now).toISOString();
    const commands: FleetCommand[] = actions.map((a) => ({ commandId: randomUUID(), workerId: a.workerId, action: a.action, model: a.model, spec: a.action === 'load' ? specs.get(a.model) : undefined, issuedAt }));
    for (const a of actions) if (a.action === 'load') this.pendingLoads.push({ workerId: a.workerId, model: a.model, vramMiB: specs.get(a.model)?.vramMiB ?? 0, issuedAt: now });
    this.logger.log({ msg: 'placement', actions });
    await this.events.publishMany(topics.fleetCommands, commands);
  }
}
