-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "auth";

-- CreateEnum
CREATE TYPE "auth"."TenantStatus" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "auth"."KeyRole" AS ENUM ('operator', 'tenant_admin', 'developer', 'finance');

-- CreateTable
CREATE TABLE "auth"."tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "auth"."TenantStatus" NOT NULL DEFAULT 'active',
    "legal_name" TEXT,
    "address_line" TEXT,
    "postal_code" TEXT,
    "city" TEXT,
    "country" CHAR(2),
    "vat_number" TEXT,
    "tier" TEXT NOT NULL DEFAULT 'standard',
    "guard_enabled" BOOLEAN NOT NULL DEFAULT true,
    "guard_threshold" DECIMAL(4,3) NOT NULL DEFAULT 0.5,
    "beta_opt_in" BOOLEAN NOT NULL DEFAULT false,
    "allowed_models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "contact_emails" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "webhook_url" TEXT,
    "rotation_days" INTEGER,
    "audit_retention_days" INTEGER NOT NULL DEFAULT 365,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."api_keys" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "auth"."KeyRole" NOT NULL,
    "secret_hash" CHAR(64) NOT NULL,
    "display_prefix" TEXT NOT NULL,
    "models" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "predecessor_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."audit_records" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT,
    "chain" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "event_id" TEXT NOT NULL,
    "key_id" TEXT,
    "actor" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "model" TEXT,
    "http_status" INTEGER,
    "request_id" TEXT,
    "client_address" TEXT,
    "user_agent" TEXT,
    "tokens" INTEGER,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_records_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_secret_hash_key" ON "auth"."api_keys"("secret_hash");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_predecessor_id_key" ON "auth"."api_keys"("predecessor_id");

-- CreateIndex
CREATE INDEX "api_keys_tenant_id_idx" ON "auth"."api_keys"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_records_event_id_key" ON "auth"."audit_records"("event_id");

-- CreateIndex
CREATE INDEX "audit_records_tenant_id_at_idx" ON "auth"."audit_records"("tenant_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "audit_records_chain_seq_key" ON "auth"."audit_records"("chain", "seq");

-- AddForeignKey
ALTER TABLE "auth"."api_keys" ADD CONSTRAINT "api_keys_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "auth"."tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auth"."api_keys" ADD CONSTRAINT "api_keys_predecessor_id_fkey" FOREIGN KEY ("predecessor_id") REFERENCES "auth"."api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;
