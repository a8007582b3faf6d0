import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  auditEventOf,
  topics,
  type ModelAdminView,
  type ModelCreate,
  type ModelUpdate,
  type Principal,
} from '@llmaas/contracts';
import { EventPublisher, RpcFailure } from '@llmaas/kafka';

import { CatalogPublisher } from '../catalog/catalog-publisher.service.js';
import { adminView, catalogView } from '../catalog/catalog-view.js';
import { CatalogRepository, type StoredModel } from '../catalog/catalog.repository.js';
import { checkModelChange, type LifecycleDates } from '../catalog/change-rules.js';
import { isoDate } from '../catalog/phase.js';
import { CLOCK, type Clock } from '../lifecycle.config.js';

const day = (d: Date | null) => (d === null ? null : isoDate(d));
const datesOf = (m: StoredModel): LifecycleDates => ({
  productionDate: day(m.productionDate),
  endOfSupportDate: day(m.endOfSupportDate),
  lts: m.lts,
  recommendedMigration: m.recommendedMigration,
});
/** What changed, for the audit trail: `endOfSupportDate=2028-06-30&lts=true`. */
const describe = (patch: Record<string, unknown>) =>
  Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');

/**
 * Operators' changes to the catalog. Each is checked against the lifecycle rules, committed,
 * published on `catalog.models` before the call returns (gateways see it within a second), and
 * audited. Only the operator role reaches these (the gateway checks; auth issued the role).
 */
@Injectable()
export class CatalogAdminService {
  private readonly logger = new Logger('catalog-admin');

  constructor(
    private readonly catalog: CatalogRepository,
    private readonly publisher: CatalogPublisher,
    private readonly events: EventPublisher,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async list(): Promise<ModelAdminView[]> {
    const models = await this.catalog.all();
    const view = catalogView(models, this.today());
    return models.map((m, i) => adminView(m, view[i]!));
  }

  async get(id: string): Promise<ModelAdminView> {
    const models = await this.catalog.all();
    return this.viewOf(models, id);
  }

  async create(caller: Principal, model: ModelCreate): Promise<ModelAdminView> {
    const models = await this.catalog.all();
    if (models.some((m) => m.id === model.id)) throw new RpcFailure('conflict', `The model '${model.id}' already exists.`, 'id');
    checkModelChange(model.id, null, model, catalogView(models, this.today()), this.today());
    if (!(await this.catalog.create(model))) throw new RpcFailure('conflict', `The model '${model.id}' already exists.`, 'id');
    return this.committed(caller, 'catalog.model.create', model.id, describe({ kind: model.kind, productionDate: model.productionDate, endOfSupportDate: model.endOfSupportDate }));
  }

  async update(caller: Principal, id: string, patch: ModelUpdate, action = 'catalog.model.update'): Promise<ModelAdminView> {
    const models = await this.catalog.all();
    const before = this.find(models, id);
    const after: LifecycleDates = {
      productionDate: patch.productionDate === undefined ? day(before.productionDate) : patch.productionDate,
      endOfSupportDate: patch.endOfSupportDate === undefined ? day(before.endOfSupportDate) : patch.endOfSupportDate,
      lts: patch.lts ?? before.lts,
      recommendedMigration: patch.recommendedMigration === undefined ? before.recommendedMigration : patch.recommendedMigration,
    };
    checkModelChange(id, datesOf(before), after, catalogView(models, this.today()), this.today());
    await this.catalog.update(id, patch);
    return this.committed(caller, action, id, describe(patch));
  }

  async promote(caller: Principal, id: string, productionDate: string | undefined): Promise<ModelAdminView> {
    const model = this.find(await this.catalog.all(), id);
    if (model.productionDate !== null && day(model.productionDate)! <= this.today()) {
      throw new RpcFailure('conflict', `The model '${id}' has been in production since ${day(model.productionDate)}.`, 'productionDate');
    }
    return this.update(caller, id, { productionDate: productionDate ?? this.today() }, 'catalog.model.promote');
  }

  deprecate(caller: Principal, id: string, endOfSupportDate: string, recommendedMigration: string | null | undefined): Promise<ModelAdminView> {
    return this.update(caller, id, { endOfSupportDate, recommendedMigration }, 'catalog.model.deprecate');
  }

  /** The emergency path (a security flaw): removed now, no notice; callers get 410 naming the reason's migration. */
  async withdraw(caller: Principal, id: string, reason: string): Promise<ModelAdminView> {
    const models = await this.catalog.all();
    const model = this.find(models, id);
    if (model.withdrawnAt) throw new RpcFailure('conflict', `The model '${id}' was already withdrawn at ${model.withdrawnAt.toISOString()}.`);
    await this.catalog.withdraw(id, this.now(), reason);
    return this.committed(caller, 'catalog.model.withdraw', id, describe({ reason }));
  }

  async grant(caller: Principal, id: string, tenantId: string, reason: string | null): Promise<ModelAdminView> {
    this.find(await this.catalog.all(), id);
    await this.catalog.grant(id, tenantId, `key:${caller.keyId}`, reason);
    return this.committed(caller, 'catalog.model.grant', id, describe({ tenantId, reason }), tenantId);
  }

  async revokeGrant(caller: Principal, id: string, tenantId: string): Promise<ModelAdminView> {
    this.find(await this.catalog.all(), id);
    if (!(await this.catalog.revokeGrant(id, tenantId))) throw new RpcFailure('not_found', `The model '${id}' is not re-enabled for tenant '${tenantId}'.`, 'tenantId');
    return this.committed(caller, 'catalog.model.revoke-grant', id, describe({ tenantId }), tenantId);
  }

  /** After a commit: publish (so the call returns once gateways can see it), audit, answer. */
  private async committed(caller: Principal, action: string, id: string, detail: string, tenantId: string | null = null): Promise<ModelAdminView> {
    await this.publisher.publishChanges().catch((error: unknown) => {
      // Committed but not yet published: the next phase check publishes it. Say so rather than fail.
      this.logger.warn({ msg: 'catalog change committed, publish deferred to the next check', model: id, err: error instanceof Error ? error.message : String(error) });
    });
    const resource = detail ? `models/${id}?${detail}` : `models/${id}`;
    // The producer retries transient failures itself; what still fails is logged with the change.
    await this.events.publish(topics.auditEvents, auditEventOf('lifecycle', caller, action, resource, tenantId, { model: id })).catch((error: unknown) => {
      this.logger.error({ msg: 'audit event not published', action, resource, actor: caller.keyId, err: error instanceof Error ? error.message : String(error) });
    });
    return this.viewOf(await this.catalog.all(), id);
  }

  private viewOf(models: StoredModel[], id: string): ModelAdminView {
    const model = this.find(models, id);
    const record = catalogView(models, this.today()).find((m) => m.id === id)!;
    return adminView(model, record);
  }

  private find(models: readonly StoredModel[], id: string): StoredModel {
    const model = models.find((m) => m.id === id);
    if (!model) throw new RpcFailure('not_found', `The model '${id}' does not exist.`, 'model');
    return model;
  }

  private today(): string {
    return isoDate(this.now());
  }
}
