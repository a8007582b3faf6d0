-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "billing";

-- CreateEnum
CREATE TYPE "billing"."UsageMode" AS ENUM ('interactive', 'batch');

-- CreateEnum
CREATE TYPE "billing"."InvoiceStatus" AS ENUM ('draft', 'finalized', 'void');

-- CreateTable
CREATE TABLE "billing"."tiers" (
    "name" TEXT NOT NULL,
    "requests_per_minute" INTEGER NOT NULL,
    "tokens_per_minute" INTEGER NOT NULL,
    "concurrent_requests" INTEGER NOT NULL,
    "monthly_budget_eur" DECIMAL(14,2),
    "hard_cap" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tiers_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "billing"."price_book_versions" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT,
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_book_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."price_book_entries" (
    "version_id" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "unit_size" DECIMAL(20,0) NOT NULL,
    "price_eur" DECIMAL(20,10) NOT NULL,

    CONSTRAINT "price_book_entries_pkey" PRIMARY KEY ("version_id","item")
);

-- CreateTable
CREATE TABLE "billing"."usage_records" (
    "request_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "mode" "billing"."UsageMode" NOT NULL,
    "status" TEXT NOT NULL,
    "input_tokens" INTEGER NOT NULL,
    "output_tokens" INTEGER NOT NULL,
    "reasoning_tokens" INTEGER NOT NULL,
    "documents" INTEGER NOT NULL,
    "audio_seconds" DECIMAL(12,3) NOT NULL,
    "amount_eur" DECIMAL(20,10) NOT NULL,
    "price_book_version_id" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_records_pkey" PRIMARY KEY ("request_id")
);

-- CreateTable
CREATE TABLE "billing"."invoices" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "period" CHAR(7) NOT NULL,
    "number" TEXT,
    "status" "billing"."InvoiceStatus" NOT NULL DEFAULT 'draft',
    "subtotal_eur" DECIMAL(14,2) NOT NULL,
    "vat_eur" DECIMAL(14,2) NOT NULL,
    "total_eur" DECIMAL(14,2) NOT NULL,
    "issued_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "price_book_versions_tenant_id_idx" ON "billing"."price_book_versions"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "price_book_versions_tenant_id_effective_from_key" ON "billing"."price_book_versions"("tenant_id", "effective_from");

-- CreateIndex
CREATE INDEX "usage_records_tenant_id_occurred_at_idx" ON "billing"."usage_records"("tenant_id", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_key" ON "billing"."invoices"("number");

-- CreateIndex
CREATE INDEX "invoices_tenant_id_idx" ON "billing"."invoices"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_tenant_id_period_key" ON "billing"."invoices"("tenant_id", "period");

-- AddForeignKey
ALTER TABLE "billing"."price_book_entries" ADD CONSTRAINT "price_book_entries_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "billing"."price_book_versions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "billing"."usage_records" ADD CONSTRAINT "usage_records_price_book_version_id_fkey" FOREIGN KEY ("price_book_version_id") REFERENCES "billing"."price_book_versions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
