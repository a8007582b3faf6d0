-- AlterTable
ALTER TABLE "auth"."api_keys" ADD COLUMN     "last4" TEXT;
