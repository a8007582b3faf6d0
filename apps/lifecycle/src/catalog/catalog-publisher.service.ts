import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { topics, type CatalogModel as CatalogRecord } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { type CatalogModel } from '../generated/prisma/client.js';
import { CLOCK, type Clock, type LifecycleConfig } from '../lifecycle.config.js';
import { parseCatalogCsv, parseDeprecatedCsv } from './catalog-seed.js';
import { CatalogRepository, fromDbKind } from './catalog.repository.js';
import { recommendedMigration } from './migration-rule.js';
import { isoDate, noticeStart, phaseOn } from './phase.js';

const day = (d: Date | null) => (d === null ? null : isoDate(d));

/** The catalog as the platform sees it today: phases and migrations computed, never stored. */
export function catalogView(models: readonly CatalogModel[], today: string): CatalogRecord[] {
  const withPhase = models.map((m) => ({
    model: m,
    phase: phaseOn({ productionDate: day(m.productionDate), endOfSupportDate: day(m.endOfSupportDate), withdrawnAt: m.withdrawnAt?.toISOString() ?? null }, today),
  }));
  const candidates = withPhase.map(({ model, phase }) => ({
    id: model.id,
    kind: fromDbKind(model.kind),
    paramsBillion: model.paramsBillion.toNumber(),
    endOfSupportDate: day(model.endOfSupportDate),
    recommendedMigration: model.recommendedMigration,
    phase,
  }));
  return withPhase.map(({ model, phase }, i) => ({
    id: model.id,
    publisher: model.publisher,
    kind: fromDbKind(model.kind),
    paramsBillion: model.paramsBillion.toNumber(),
    contextLength: model.contextLength,
    reasoning: model.reasoning,
    productionDate: day(model.productionDate),
    endOfSupportDate: day(model.endOfSupportDate),
    noticeStartDate: model.endOfSupportDate ? noticeStart(day(model.endOfSupportDate) ?? '') : null,
    lts: model.lts,
    recommendedMigration: phase === 'production' || phase === 'evaluation' ? model.recommendedMigration : recommendedMigration(candidates[i]!, candidates),
    stability: model.stability,
    phase,
    vramMiB: model.vramMiB,
    updatedAt: model.updatedAt.toISOString(),
  }));
}

/**
 * Imports the seed tables once (idempotent), then publishes the catalog on the compacted
 * `catalog.models`: everything at start, and what changed at each phase check (a date rolling
 * over moves a model into notice or out of the catalog without anyone touching it).
 */
@Injectable()
export class CatalogPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('catalog');
  private readonly published = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly catalog: CatalogRepository,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: LifecycleConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.importSeed();
    void this.publishChanges();
    this.timer = setInterval(() => void this.publishChanges(), this.config.PHASE_CHECK_INTERVAL_MS);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** A missing or malformed seed is reported and skipped: the catalog already stored still serves. */
  private async importSeed(): Promise<void> {
    const dir = this.config.CATALOG_SEED_DIR;
    try {
      const [live, removed] = await Promise.all([
        readFile(join(dir, 'model-catalog.csv'), 'utf8').then(parseCatalogCsv),
        readFile(join(dir, 'deprecated-models.csv'), 'utf8').then(parseDeprecatedCsv),
      ]);
      const inserted = await this.catalog.importSeed([...live, ...removed]);
      this.logger.log({ msg: 'catalog seed imported', inserted, seen: live.length + removed.length });
    } catch (error) {
      this.logger.error({ msg: `catalog seed not imported from ${dir} (CATALOG_SEED_DIR)`, err: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Publishes every model whose view changed since the last publish; returns how many. */
  async publishChanges(): Promise<number> {
    try {
      const view = catalogView(await this.catalog.all(), isoDate(this.now()));
      const changed = view.filter((m) => this.published.get(m.id) !== JSON.stringify({ ...m, updatedAt: '' }));
      for (let i = 0; i < changed.length; i += 200) await this.events.publishMany(topics.catalogModels, changed.slice(i, i + 200));
      for (const m of changed) this.published.set(m.id, JSON.stringify({ ...m, updatedAt: '' }));
      if (changed.length > 0) this.logger.log({ msg: 'catalog published', changed: changed.length });
      return changed.length;
    } catch (error) {
      this.logger.warn({ msg: 'catalog publish failed; the next check retries', err: error instanceof Error ? error.message : String(error) });
      return 0;
    }
  }
}
