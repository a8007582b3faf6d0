import { rpc } from '@llmaas/contracts';
import { runService } from '@llmaas/service-kit';

import { billingEnv } from './billing.config.js';
import { billingDatabase } from './database/database.js';
import { BillingAdminController } from './invoicing/billing-admin.controller.js';
import { InvoiceRepository } from './invoicing/invoice.repository.js';
import { InvoicingService } from './invoicing/invoicing.service.js';
import { TenantDirectory } from './tenants/tenant-directory.service.js';
import { EstimateController } from './estimate/estimate.controller.js';
import { LedgerRepository } from './ledger/ledger.repository.js';
import { UsageIngestService } from './ledger/usage-ingest.service.js';
import { PriceBookRepository } from './prices/price-book.repository.js';
import { QuotaRepository } from './quotas/quota.repository.js';
import { QuotaService } from './quotas/quota.service.js';

// Billing: the usage ledger (priced at ingestion, exactly once), the price book, each tenant's
// quota on `billing.quotas`, budget alerts, monthly invoices and credit notes, the finance queries.
await runService({
  name: 'billing',
  defaultPort: 9104,
  env: billingEnv,
  status: rpc.billingStatus,
  consumes: true,
  modules: (config) => [billingDatabase(config.DATABASE_URL)],
  controllers: [EstimateController, BillingAdminController],
  providers: [TenantDirectory, PriceBookRepository, LedgerRepository, QuotaRepository, QuotaService, UsageIngestService, InvoiceRepository, InvoicingService],
});
