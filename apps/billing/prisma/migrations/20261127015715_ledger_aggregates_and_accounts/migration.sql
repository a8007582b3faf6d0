-- AlterTable
ALTER TABLE "billing"."usage_records" ADD COLUMN     "override_version_id" TEXT;

-- CreateTable
CREATE TABLE "billing"."usage_aggregates" (
    "tenant_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "model" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "mode" "billing"."UsageMode" NOT NULL,
    "price_eur" DECIMAL(20,10) NOT NULL,
    "unit_size" DECIMAL(20,0) NOT NULL,
    "quantity" DECIMAL(24,6) NOT NULL,
    "amount_eur" DECIMAL(24,10) NOT NULL,
    "records" INTEGER NOT NULL,

    CONSTRAINT "usage_aggregates_pkey" PRIMARY KEY ("tenant_id","day","model","key_id","item","mode","price_eur","unit_size")
);

-- CreateTable
CREATE TABLE "billing"."tenant_spend" (
    "tenant_id" TEXT NOT NULL,
    "period" CHAR(7) NOT NULL,
    "spend_eur" DECIMAL(24,10) NOT NULL,
    "alerted_percent" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "tenant_spend_pkey" PRIMARY KEY ("tenant_id","period")
);

-- CreateTable
CREATE TABLE "billing"."tenant_accounts" (
    "tenant_id" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "monthly_budget_eur" DECIMAL(14,2),
    "hard_cap" BOOLEAN,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_accounts_pkey" PRIMARY KEY ("tenant_id")
);

-- Seed: the billing tiers (operators change them in this table) and the first public price book,
-- the product document's prices. Insert-only: a later change is a new row or version, never an edit here.
INSERT INTO "billing"."tiers" ("name", "requests_per_minute", "tokens_per_minute", "concurrent_requests", "monthly_budget_eur", "hard_cap") VALUES
    ('free', 60, 40000, 4, 10.00, true),
    ('standard', 3000, 2000000, 128, 5000.00, true),
    ('enterprise', 100000, 100000000, 2048, NULL, false)
ON CONFLICT ("name") DO NOTHING;

INSERT INTO "billing"."price_book_versions" ("id", "tenant_id", "effective_from", "note") VALUES
    ('public-2025-01-01', NULL, '2025-01-01T00:00:00Z', 'Product document prices (Cost Calculation)')
ON CONFLICT ("id") DO NOTHING;

INSERT INTO "billing"."price_book_entries" ("version_id", "item", "unit", "unit_size", "price_eur") VALUES
    ('public-2025-01-01', 'chat_input', '1M tokens', 1000000, 1.8),
    ('public-2025-01-01', 'chat_output', '1M tokens', 1000000, 8),
    ('public-2025-01-01', 'reasoning_output', '1M tokens', 1000000, 8),
    ('public-2025-01-01', 'embedding_input', '1M tokens', 1000000, 1.8),
    ('public-2025-01-01', 'rerank_document', '1M documents', 1000000, 4),
    ('public-2025-01-01', 'batch_input', '1M tokens', 1000000, 0.9),
    ('public-2025-01-01', 'batch_output', '1M tokens', 1000000, 4),
    ('public-2025-01-01', 'audio_second', 'minute', 60, 0.01)
ON CONFLICT ("version_id", "item") DO NOTHING;
