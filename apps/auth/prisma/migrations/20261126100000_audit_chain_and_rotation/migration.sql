-- AlterTable
ALTER TABLE "auth"."api_keys" ADD COLUMN     "pending_secret" BYTEA;

-- CreateTable
CREATE TABLE "auth"."audit_chain_heads" (
    "chain" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_chain_heads_pkey" PRIMARY KEY ("chain")
);

-- CreateTable
CREATE TABLE "auth"."audit_checkpoints" (
    "chain" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "signature" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_checkpoints_pkey" PRIMARY KEY ("chain")
);
