import { databaseEnv } from '@llmaas/config';
import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { billingDatabase } from './database/database.js';
import { EstimateController } from './estimate/estimate.controller.js';
import { LedgerRepository } from './ledger/ledger.repository.js';
import { UsageIngestService } from './ledger/usage-ingest.service.js';
import { PriceBookRepository } from './prices/price-book.repository.js';
import { QuotaRepository } from './quotas/quota.repository.js';
import { QuotaService } from './quotas/quota.service.js';

// Billing: the usage ledger (priced at ingestion, exactly once), the price book, each tenant's
// quota on `billing.quotas` and budget alerts.
await runService({
  name: 'billing',
  defaultPort: 9104,
  env: { ...databaseEnv },
  status: rpc.billingStatus,
  consumes: true,
  modules: (config) => [billingDatabase(config.DATABASE_URL)],
  controllers: [EstimateController],
  providers: [PriceBookRepository, LedgerRepository, QuotaRepository, QuotaService, UsageIngestService],
});
