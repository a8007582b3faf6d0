-- AlterTable
ALTER TABLE "auth"."audit_records" ADD COLUMN     "latency_ms" DOUBLE PRECISION;
