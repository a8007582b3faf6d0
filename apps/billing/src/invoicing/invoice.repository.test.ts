import { scratchClient } from '@llmaas/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { billingDb } from '../database/database.js';
import { type PrismaClient } from '../generated/prisma/client.js';
import { computeInvoice, type InvoiceDocument } from '../invoices/index.js';
import { sampleSeller } from '../invoices/sample-invoice.js';
import { creditNoteDocument, invoiceDocument } from './invoice-builder.js';
import { InvoiceRepository, type Rendered } from './invoice.repository.js';

// Real PostgreSQL: numbering under concurrency, and what happens when a finalisation fails.
const prisma = scratchClient(billingDb, { beforeAll, afterAll }) as unknown as PrismaClient;
let invoices: InvoiceRepository;
beforeAll(() => {
  invoices = new InvoiceRepository(prisma);
});

const legal = { legalName: 'Acme SAS', addressLine: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR', vatNumber: 'FR40303265045' };
const doc = (): InvoiceDocument => invoiceDocument('2026-10', new Date('2026-11-02T08:00:00Z'), sampleSeller, legal, [{ model: 'qwen3:14b', item: 'chat_input', priceEur: '1.8', unitSize: '1000000', quantity: '1000000' }]);
// The renderings are not what is tested here: a stand-in keeps the transactions short.
const fakeRender = (numbered: InvoiceDocument): Promise<Rendered> => Promise.resolve({ computed: computeInvoice(numbered), pdf: new Uint8Array([37, 80, 68, 70]), facturx: new Uint8Array([37, 80, 68, 70]) });

describe('invoice numbering (real PostgreSQL)', () => {
  it('gives 20 concurrent finalisations the numbers 1 to 20 of the year, each once', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => invoices.finalizeInvoice(`tenant-${i}`, doc(), fakeRender)));
    expect(results.map((r) => r.number).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `F-2026-${String(i + 1).padStart(6, '0')}`));
    expect(results[0]).toMatchObject({ subtotalEur: '1.80', vatEur: '0.36', totalEur: '2.16', status: 'finalized', issueDate: '2026-11-02', dueDate: '2026-12-02' });
  });

  it('gives a failed finalisation\'s number back: no gap', async () => {
    await expect(invoices.finalizeInvoice('tenant-fail', doc(), () => Promise.reject(new Error('renderer crashed')))).rejects.toThrow('renderer crashed');
    const next = await invoices.finalizeInvoice('tenant-after', doc(), fakeRender);
    expect(next.number).toBe('F-2026-000021');
    // One invoice per tenant and month.
    await expect(invoices.finalizeInvoice('tenant-after', doc(), fakeRender)).rejects.toThrow();
    expect((await invoices.finalizeInvoice('tenant-22', doc(), fakeRender)).number).toBe('F-2026-000022');
  });

  it('numbers credit notes in their own series and refuses to change an issued invoice', async () => {
    const invoice = (await invoices.list('tenant-0', '2026-10'))[0]!;
    const stored = await invoices.get(invoice.id);
    const note = await invoices.finalizeCreditNote(invoice.id, 'tenant-0', 'test', creditNoteDocument(stored!.document!, new Date('2026-11-03T00:00:00Z'), undefined), fakeRender);
    expect(note).toMatchObject({ number: 'A-2026-000001', totalEur: '-2.16', correctsInvoiceId: invoice.id, kind: 'credit_note' });
    await expect(prisma.invoice.update({ where: { id: invoice.id }, data: { totalEur: '0' } })).rejects.toThrow(/issued/);
    await expect(prisma.creditNote.delete({ where: { id: note.id } })).rejects.toThrow(/issued/);
  });
});
