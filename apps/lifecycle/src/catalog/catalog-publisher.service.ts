import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { topics, type CatalogModel as CatalogRecord } from '@llmaas/contracts';
import { EventPublisher } from '@llmaas/kafka';
import { SERVICE_CONFIG } from '@llmaas/service-kit';

import { CLOCK, type Clock, type LifecycleConfig } from '../lifecycle.config.js';
import { parseCatalogCsv, parseDeprecatedCsv } from './catalog-seed.js';
import { catalogView } from './catalog-view.js';
import { CatalogRepository } from './catalog.repository.js';
import { isoDate, nextCheckDelay } from './phase.js';

const fingerprint = (m: CatalogRecord) => JSON.stringify({ ...m, updatedAt: '' });

/**
 * Imports the seed tables once (idempotent), then publishes the catalog on the compacted
 * `catalog.models`: everything at start, what an operator changed right after the change, and
 * what the date changed at each phase check (a day rolling over moves a model into its notice or
 * out of the catalog without anyone touching it).
 */
@Injectable()
export class CatalogPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('catalog');
  private readonly published = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  // Publishes run one after another: an older computation must never land after a newer one.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly catalog: CatalogRepository,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: LifecycleConfig,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.importSeed();
    void this.checkPhases();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
  }

  private async checkPhases(): Promise<void> {
    try {
      await this.publishChanges();
    } catch (error) {
      this.logger.warn({ msg: 'catalog publish failed; the next check retries', err: error instanceof Error ? error.message : String(error) });
    }
    this.timer = setTimeout(() => void this.checkPhases(), nextCheckDelay(this.now(), this.config.PHASE_CHECK_INTERVAL_MS));
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

  /**
   * Publishes every model whose view changed since the last publish and returns the catalog as
   * published. Throws when Kafka refused: the caller (an operator's change) sees the failure, and
   * the next phase check publishes what is still pending.
   */
  publishChanges(): Promise<CatalogRecord[]> {
    const run = this.queue.then(async () => {
      const view = catalogView(await this.catalog.all(), isoDate(this.now()));
      const changed = view.filter((m) => this.published.get(m.id) !== fingerprint(m));
      for (let i = 0; i < changed.length; i += 200) await this.events.publishMany(topics.catalogModels, changed.slice(i, i + 200));
      for (const m of changed) this.published.set(m.id, fingerprint(m));
      if (changed.length > 0) this.logger.log({ msg: 'catalog published', changed: changed.length });
      return view;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
