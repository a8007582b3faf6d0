-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "batch";

-- CreateEnum
CREATE TYPE "batch"."FileStatus" AS ENUM ('uploaded', 'processed', 'error', 'deleted');

-- CreateEnum
CREATE TYPE "batch"."BatchStatus" AS ENUM ('validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled');

-- CreateTable
CREATE TABLE "batch"."files" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "line_count" INTEGER,
    "sha256" CHAR(64) NOT NULL,
    "storage_path" TEXT NOT NULL,
    "status" "batch"."FileStatus" NOT NULL DEFAULT 'uploaded',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "batch"."batches" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "completion_window" TEXT NOT NULL,
    "status" "batch"."BatchStatus" NOT NULL DEFAULT 'validating',
    "input_file_id" TEXT NOT NULL,
    "output_file_id" TEXT,
    "error_file_id" TEXT,
    "total_count" INTEGER NOT NULL DEFAULT 0,
    "completed_count" INTEGER NOT NULL DEFAULT 0,
    "failed_count" INTEGER NOT NULL DEFAULT 0,
    "metadata" JSONB,
    "webhook_url" TEXT,
    "errors" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "in_progress_at" TIMESTAMPTZ(3),
    "finalizing_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "expired_at" TIMESTAMPTZ(3),
    "cancelling_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "batch"."tenant_data_keys" (
    "tenant_id" TEXT NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "master_key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rewrapped_at" TIMESTAMPTZ(3),

    CONSTRAINT "tenant_data_keys_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateIndex
CREATE INDEX "files_tenant_id_created_at_idx" ON "batch"."files"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "files_expires_at_idx" ON "batch"."files"("expires_at");

-- CreateIndex
CREATE INDEX "batches_tenant_id_created_at_idx" ON "batch"."batches"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "batches_status_idx" ON "batch"."batches"("status");

-- AddForeignKey
ALTER TABLE "batch"."batches" ADD CONSTRAINT "batches_input_file_id_fkey" FOREIGN KEY ("input_file_id") REFERENCES "batch"."files"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "batch"."batches" ADD CONSTRAINT "batches_output_file_id_fkey" FOREIGN KEY ("output_file_id") REFERENCES "batch"."files"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "batch"."batches" ADD CONSTRAINT "batches_error_file_id_fkey" FOREIGN KEY ("error_file_id") REFERENCES "batch"."files"("id") ON DELETE SET NULL ON UPDATE CASCADE;
