-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "catalog";

-- CreateEnum
CREATE TYPE "catalog"."ModelKind" AS ENUM ('chat', 'chat-vision', 'embedding', 'rerank', 'audio-transcription', 'ocr', 'guard', 'translation', 'image-generation');

-- CreateEnum
CREATE TYPE "catalog"."Stability" AS ENUM ('stable', 'experimental');

-- CreateTable
CREATE TABLE "catalog"."models" (
    "id" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    "kind" "catalog"."ModelKind" NOT NULL,
    "params_billion" DECIMAL(10,3) NOT NULL,
    "context_length" INTEGER NOT NULL,
    "reasoning" BOOLEAN NOT NULL DEFAULT false,
    "production_date" DATE,
    "end_of_support_date" DATE,
    "lts" BOOLEAN NOT NULL DEFAULT false,
    "recommended_migration" TEXT,
    "stability" "catalog"."Stability" NOT NULL DEFAULT 'stable',
    "vram_mib" INTEGER NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "models_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "catalog"."tenant_model_grants" (
    "tenant_id" TEXT NOT NULL,
    "model_id" TEXT NOT NULL,
    "granted_by" TEXT NOT NULL,
    "reason" TEXT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_model_grants_pkey" PRIMARY KEY ("tenant_id","model_id")
);

-- CreateIndex
CREATE INDEX "tenant_model_grants_model_id_idx" ON "catalog"."tenant_model_grants"("model_id");

-- AddForeignKey
ALTER TABLE "catalog"."tenant_model_grants" ADD CONSTRAINT "tenant_model_grants_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "catalog"."models"("id") ON DELETE CASCADE ON UPDATE CASCADE;
