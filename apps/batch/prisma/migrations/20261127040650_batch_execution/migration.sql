-- AlterTable
ALTER TABLE "batch"."files" ADD COLUMN     "deleted_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "batch"."batches" ADD COLUMN     "ending_reason" TEXT,
ADD COLUMN     "input_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "key_models" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "model" TEXT,
ADD COLUMN     "output_expires_after_seconds" INTEGER,
ADD COLUMN     "output_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "reasoning_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "sealed_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "batch"."tenant_data_keys" ADD COLUMN     "webhook_secret" BYTEA;

-- CreateTable
CREATE TABLE "batch"."batch_chunks" (
    "batch_id" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "first_line" INTEGER NOT NULL,
    "line_count" INTEGER NOT NULL,
    "start_byte" BIGINT NOT NULL,
    "end_byte" BIGINT NOT NULL,
    "done" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "batch_chunks_pkey" PRIMARY KEY ("batch_id","index")
);

-- CreateTable
CREATE TABLE "batch"."batch_results" (
    "batch_id" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "custom_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "usage" JSONB,
    "usage_published" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "batch_results_pkey" PRIMARY KEY ("batch_id","line")
);

-- CreateIndex
CREATE INDEX "batch_results_usage_published_created_at_idx" ON "batch"."batch_results"("usage_published", "created_at");

-- AddForeignKey
ALTER TABLE "batch"."batch_chunks" ADD CONSTRAINT "batch_chunks_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batch"."batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "batch"."batch_results" ADD CONSTRAINT "batch_results_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "batch"."batches"("id") ON DELETE CASCADE ON UPDATE CASCADE;
