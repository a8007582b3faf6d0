-- AlterTable
ALTER TABLE "billing"."invoices" ADD COLUMN     "document" JSONB,
ADD COLUMN     "due_date" DATE,
ADD COLUMN     "facturx" BYTEA,
ADD COLUMN     "issue_date" DATE,
ADD COLUMN     "line_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pdf" BYTEA;

-- CreateTable
CREATE TABLE "billing"."credit_notes" (
    "id" TEXT NOT NULL,
    "invoice_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "subtotal_eur" DECIMAL(14,2) NOT NULL,
    "vat_eur" DECIMAL(14,2) NOT NULL,
    "total_eur" DECIMAL(14,2) NOT NULL,
    "issue_date" DATE NOT NULL,
    "line_count" INTEGER NOT NULL,
    "document" JSONB NOT NULL,
    "pdf" BYTEA NOT NULL,
    "facturx" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing"."document_counters" (
    "series" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "document_counters_pkey" PRIMARY KEY ("series","year")
);

-- CreateIndex
CREATE UNIQUE INDEX "credit_notes_number_key" ON "billing"."credit_notes"("number");

-- CreateIndex
CREATE INDEX "credit_notes_tenant_id_idx" ON "billing"."credit_notes"("tenant_id");

-- CreateIndex
CREATE INDEX "credit_notes_invoice_id_idx" ON "billing"."credit_notes"("invoice_id");

-- AddForeignKey
ALTER TABLE "billing"."credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- An issued document never changes: corrections are credit notes. Enforced by the database too,
-- whatever code runs against it.
CREATE FUNCTION "billing"."refuse_change_to_issued"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'credit_notes' OR OLD.status = 'finalized' THEN
    RAISE EXCEPTION 'document % is issued and cannot change: issue a credit note instead', OLD.number USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER "invoices_issued_immutable" BEFORE UPDATE OR DELETE ON "billing"."invoices" FOR EACH ROW EXECUTE FUNCTION "billing"."refuse_change_to_issued"();
CREATE TRIGGER "credit_notes_immutable" BEFORE UPDATE OR DELETE ON "billing"."credit_notes" FOR EACH ROW EXECUTE FUNCTION "billing"."refuse_change_to_issued"();
