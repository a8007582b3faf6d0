import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';

import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';

import { api, createKey, createTenant, uniqueId } from '../support/admin.js';
import { collectFrom, kafka } from '../support/kafka.js';
import { smallestServed } from '../support/models.js';
import { eventually, gatewayUrl, infra, readyz } from '../support/platform.js';

// Billing against the running platform: the ledger reconciled with what the official `openai`
// client saw (Kafka and billing restarted in the middle), a month closed into invoices, credit
// notes, the budget's hard cap, and the finance API's boundaries.

const legalFr = { legalName: 'Reconcile SAS', addressLine: '1 rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR', vatNumber: 'FR40303265045' };
const legalDe = { legalName: 'Rechnung GmbH', addressLine: 'Unter den Linden 1', postalCode: '10117', city: 'Berlin', country: 'DE', vatNumber: 'DE123456789' };

/** Euros as integer units of 1e-7 € (every document price is a multiple of that per token). */
const units = (eur: string): bigint => {
  const [whole, fraction = ''] = eur.split('.');
  return BigInt(whole!) * 10_000_000n + BigInt((fraction + '0000000').slice(0, 7)) * (eur.startsWith('-') ? -1n : 1n);
};
const today = () => new Date().toISOString().slice(0, 10);

interface UsageItem {
  item: string;
  quantity: string;
  amountEur: string;
}
const usageByItem = async (tenant: string, key: string, from: string, to: string) => {
  const res = await api<{ data: UsageItem[] }>('GET', `/v1/billing/usage?from=${from}&to=${to}&group_by=item`, { key });
  return Object.fromEntries((res.body.data ?? []).map((r) => [r.item, r])) as Record<string, UsageItem | undefined>;
};

let model: string;
beforeAll(async () => {
  model = await smallestServed('chat', (m) => !m.reasoning);
}, 30_000);

describe('billing', () => {
  it('reconciles the ledger with what the openai client saw, across a Kafka and a billing restart', async () => {
    const tenant = await createTenant(uniqueId('reconcile'), { legal: legalFr });
    const developer = (await createKey(tenant, 'developer')).secret;
    const finance = (await createKey(tenant, 'finance')).secret;
    const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: developer, maxRetries: 5, timeout: 60_000 });
    const seen = { prompt: 0, completion: 0, reasoning: 0 };
    let serial = 0;
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const content = `Reconciliation ${++serial}: name a colour and a fruit (${randomUUID().slice(0, 8)}).`;
        if (i % 2 === 0) {
          const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content }], max_tokens: 6 + (i % 5) });
          seen.prompt += r.usage!.prompt_tokens;
          seen.completion += r.usage!.completion_tokens;
          seen.reasoning += r.usage!.completion_tokens_details?.reasoning_tokens ?? 0;
        } else {
          const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content }], max_tokens: 5, stream: true, stream_options: { include_usage: true } });
          for await (const chunk of stream) {
            if (!chunk.usage) continue;
            seen.prompt += chunk.usage.prompt_tokens;
            seen.completion += chunk.usage.completion_tokens;
            seen.reasoning += chunk.usage.completion_tokens_details?.reasoning_tokens ?? 0;
          }
        }
      }
    };
    await round(8);
    await infra('infra/stop.sh', 'kafka');
    await infra('infra/start.sh', 'kafka');
    await eventually(() => readyz('gateway'), (r) => r.status === 200, 90_000);
    await round(8);
    await infra('infra/services.sh', 'stop', 'billing');
    await round(4);
    await infra('infra/services.sh', 'start', 'billing');
    await eventually(() => readyz('billing'), (r) => r.status === 200, 90_000);
    await round(4);

    const day = today();
    const ledger = await eventually(
      () => usageByItem(tenant, finance, day, day),
      (u) => Number(u.chat_input?.quantity ?? 0) === seen.prompt && Number(u.chat_output?.quantity ?? 0) + Number(u.reasoning_output?.quantity ?? 0) === seen.completion,
      60_000,
      500,
    );
    expect(Number(ledger.chat_input?.quantity)).toBe(seen.prompt);
    expect(Number(ledger.reasoning_output?.quantity ?? 0)).toBe(seen.reasoning);
    expect(Number(ledger.chat_output?.quantity)).toBe(seen.completion - seen.reasoning);
    // To the 1e-7 €: 1.8 € per million input tokens, 8 € per million output (reasoning included).
    const expected = BigInt(seen.prompt) * 18n + BigInt(seen.completion) * 80n;
    const billed = Object.values(ledger).reduce((sum, r) => sum + units(r!.amountEur), 0n);
    expect(billed).toBe(expected);

    // The month's invoice as it would read today: each line rounded to the cent (half-up), VAT
    // 20 % on their sum — from the client's counts by hand, to the cent.
    const cents = (u: bigint) => (u + 50_000n) / 100_000n;
    const lineCents = [BigInt(seen.prompt) * 18n, BigInt(seen.completion - seen.reasoning) * 80n, BigInt(seen.reasoning) * 80n].filter((u) => u > 0n).map(cents);
    const subtotal = lineCents.reduce((a, b) => a + b, 0n);
    const vat = (subtotal * 20n + 50n) / 100n;
    const preview = await api<{ subtotalEur: string; vatEur: string; totalEur: string; lines: unknown[] }>('GET', '/v1/billing/invoices/preview', { key: finance });
    expect(preview.status).toBe(200);
    expect(units(preview.body.subtotalEur) / 100_000n).toBe(subtotal);
    expect(units(preview.body.vatEur) / 100_000n).toBe(vat);
    expect(units(preview.body.totalEur) / 100_000n).toBe(subtotal + vat);
  }, 400_000);

  it('closes a finished month into numbered invoices (FR VAT, EU reverse charge), in every format, corrected by credit notes', async () => {
    const fr = await createTenant(uniqueId('inv-fr'), { legal: legalFr });
    const de = await createTenant(uniqueId('inv-de'), { legal: legalDe });
    const anonymous = await createTenant(uniqueId('inv-anon'));
    const frFinance = (await createKey(fr, 'finance')).secret;
    const deFinance = (await createKey(de, 'finance')).secret;
    // October's usage, produced on `inference.usage` as the gateway and the batch service do; one
    // event twice (a redelivery): counted once.
    const event = (tenantId: string, over: Record<string, unknown>) => ({
      requestId: `req_${randomUUID().replaceAll('-', '')}`, tenantId, keyId: 'k_e2e', model: 'qwen3:14b', kind: 'chat', mode: 'interactive', status: 'completed',
      inputTokens: 0, outputTokens: 0, reasoningTokens: 0, documents: 0, audioSeconds: 0, workerId: 'w1',
      startedAt: '2026-10-15T10:00:00.000Z', finishedAt: '2026-10-15T10:00:01.000Z', timeToFirstTokenMs: 10, ...over,
    });
    const frChat = event(fr, { inputTokens: 1_234_567, outputTokens: 333_333 });
    const events = [
      frChat, frChat,
      event(fr, { model: 'bge-reranker-large', kind: 'rerank', documents: 250 }),
      event(fr, { model: 'whisper3:1.6b', kind: 'audio-transcription', audioSeconds: 89.3 }),
      event(de, { mode: 'batch', inputTokens: 2_000_000, outputTokens: 1_000_000, reasoningTokens: 250_000 }),
      event(anonymous, { inputTokens: 1000, outputTokens: 10 }),
    ];
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'inference.usage', messages: events.map((e) => ({ key: e.tenantId, value: JSON.stringify(e) })) });
    await producer.disconnect();
    await eventually(() => usageByItem(fr, frFinance, '2026-10-01', '2026-10-31'), (u) => u.audio_second !== undefined && u.chat_input?.quantity === '1234567', 30_000, 500);
    await eventually(() => usageByItem(de, deFinance, '2026-10-01', '2026-10-31'), (u) => u.batch_output !== undefined, 30_000, 500);

    // Two operators closing at once (and perhaps the hourly job): one invoice per tenant and
    // month, numbers without gaps; a tenant without a legal identity is reported, not invoiced.
    const closes = await Promise.all([api<{ skipped: { tenantId: string }[] }>('POST', '/admin/v1/billing/periods/2026-10/close'), api<{ skipped: { tenantId: string }[] }>('POST', '/admin/v1/billing/periods/2026-10/close')]);
    expect(closes.map((c) => c.status)).toEqual([200, 200]);
    expect(closes.every((c) => c.body.skipped.some((s) => s.tenantId === anonymous))).toBe(true);
    const all = await api<{ data: { number: string | null; kind: string; tenantId: string; period: string }[] }>('GET', '/v1/billing/invoices');
    expect(all.body.data.filter((i) => i.kind === 'invoice' && i.period === '2026-10' && i.tenantId === fr)).toHaveLength(1);
    expect(all.body.data.filter((i) => i.kind === 'invoice' && i.period === '2026-10' && i.tenantId === de)).toHaveLength(1);
    expect(all.body.data.filter((i) => i.tenantId === anonymous)).toHaveLength(0);
    const numbers = all.body.data.filter((i) => i.kind === 'invoice' && i.number?.startsWith('F-2026-')).map((i) => Number(i.number!.slice(7))).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));

    // France: lines rounded to the cent, VAT 20 % on their sum (amounts by hand).
    const frList = await api<{ data: { id: string; number: string; subtotalEur: string; vatEur: string; totalEur: string; kind: string }[] }>('GET', '/v1/billing/invoices?period=2026-10', { key: frFinance });
    expect(frList.body.data).toHaveLength(1);
    const frInvoice = frList.body.data[0]!;
    // 1,234,567 × 1.8/M = 2.2222206 → 2.22; 333,333 × 8/M = 2.666664 → 2.67; 250 documents × 4/M = 0.001 → 0.00;
    // 89.3 s → 90 s × 0.01/60 = 0.015 → 0.02. Subtotal 4.91, VAT 0.982 → 0.98, total 5.89.
    expect(frInvoice).toMatchObject({ subtotalEur: '4.91', vatEur: '0.98', totalEur: '5.89', kind: 'invoice' });
    const json = await api<{ lines: { model: string; item: string; lineNumber: number; amountEur: string }[]; mentions: { text: string }[] }>('GET', `/v1/billing/invoices/${frInvoice.id}?format=json`, { key: frFinance });
    expect(json.status).toBe(200);
    expect(json.body.lines.map((l) => l.amountEur)).toEqual(expect.arrayContaining(['2.22', '2.67', '0.00', '0.02']));
    expect(JSON.stringify(json.body)).toContain('40');
    const pdf = await fetch(`${gatewayUrl}/v1/billing/invoices/${frInvoice.id}?format=pdf`, { headers: { authorization: `Bearer ${frFinance}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const facturx = Buffer.from(await (await fetch(`${gatewayUrl}/v1/billing/invoices/${frInvoice.id}?format=facturx`, { headers: { authorization: `Bearer ${frFinance}` } })).arrayBuffer());
    expect(facturx.includes('factur-x.xml')).toBe(true);
    const csv = await api<string>('GET', `/v1/billing/invoices/${frInvoice.id}?format=csv`, { key: frFinance });
    expect(csv.body).toContain(frInvoice.number);

    // Germany, a business with a VAT number: reverse charge, no VAT. Batch: 2M × 0.9/M + 1M × 4/M.
    const deInvoice = (await api<{ data: { id: string; totalEur: string; vatEur: string }[] }>('GET', '/v1/billing/invoices?period=2026-10', { key: deFinance })).body.data[0]!;
    expect(deInvoice).toMatchObject({ vatEur: '0.00', totalEur: '5.80' });
    const deJson = await api('GET', `/v1/billing/invoices/${deInvoice.id}?format=json`, { key: deFinance });
    expect(JSON.stringify(deJson.body)).toContain('Autoliquidation');
    // Another tenant's invoice does not exist for them.
    expect((await api('GET', `/v1/billing/invoices/${frInvoice.id}?format=json`, { key: deFinance })).status).toBe(404);

    // A correction is a credit note with its own number; the invoice itself never changes.
    // All the output tokens: −2.67, VAT −0.534 → −0.53, total −3.20.
    const outputLine = json.body.lines.find((l) => l.item === 'output')!.lineNumber;
    const partial = await api<{ number: string; totalEur: string; correctsInvoiceId: string }>('POST', `/admin/v1/billing/invoices/${frInvoice.id}/credit-notes`, { body: { reason: 'Goodwill on output tokens', lines: [{ line: outputLine, quantity: '333333' }] } });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ correctsInvoiceId: frInvoice.id, totalEur: '-3.20' });
    expect(partial.body.number).toMatch(/^A-2026-\d{6}$/);
    const rest = await api<{ totalEur: string }>('POST', `/admin/v1/billing/invoices/${frInvoice.id}/credit-notes`, { body: { reason: 'Cancelled' } });
    expect(rest.status).toBe(201);
    // What is left is credited; the two notes and the invoice sum to zero.
    expect(units(rest.body.totalEur) + units(partial.body.totalEur) + units(frInvoice.totalEur)).toBe(0n);
    expect((await api('POST', `/admin/v1/billing/invoices/${frInvoice.id}/credit-notes`, { body: { reason: 'again' } })).status).toBe(409);
    const after = await api<{ data: { id: string; totalEur: string }[] }>('GET', '/v1/billing/invoices?period=2026-10', { key: frFinance });
    expect(after.body.data.find((i) => i.id === frInvoice.id)?.totalEur).toBe('5.89');
    expect(after.body.data).toHaveLength(3);
  }, 120_000);

  it('refuses a tenant whose hard budget is spent with insufficient_quota, after alerts at 80 and 100 %', async () => {
    // The tenant's webhook: a server on loopback that keeps what it is told.
    const heard: { type: string; data: { percent: number } }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        heard.push(JSON.parse(body) as { type: string; data: { percent: number } });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const tenant = await createTenant(uniqueId('budget'), { legal: legalFr, webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/billing` });
    const developer = (await createKey(tenant, 'developer')).secret;
    const finance = (await createKey(tenant, 'finance')).secret;
    // A tenant's finance may set its own budget (not lift the hard cap).
    expect((await api('PUT', `/admin/v1/tenants/${tenant}/budget`, { key: finance, body: { monthly_budget_eur: '0.01', hard_cap: false } })).status).toBe(403);
    expect((await api('PUT', `/admin/v1/tenants/${tenant}/budget`, { key: finance, body: { monthly_budget_eur: '0.01' } })).status).toBe(200);
    const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: developer, maxRetries: 0, timeout: 60_000 });
    const alerts = await collectFrom(
      'billing.alerts',
      (v) => ((v as { tenantId: string }).tenantId === tenant ? (v as { percent: number }).percent : undefined),
      (found) => found.includes(100),
      {
        timeoutMs: 60_000,
        act: async () => {
          // 1,500 output tokens at 8 €/M: 0.012 €, past the 0.01 € budget.
          await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Write a long story about a lighthouse.' }], max_tokens: 1500, ignore_eos: true } as never);
        },
      },
    );
    expect(alerts).toEqual(expect.arrayContaining([80, 100]));
    await eventually(() => Promise.resolve(heard.length), (n) => n >= 2, 10_000);
    expect(heard.map((h) => [h.type, h.data.percent])).toEqual(expect.arrayContaining([['billing.budget_alert', 80], ['billing.budget_alert', 100]]));
    hook.close();
    const refused = await eventually(
      () => client.chat.completions.create({ model, messages: [{ role: 'user', content: `One more ${randomUUID()}` }], max_tokens: 3 }).then(() => null, (e: unknown) => e),
      (e) => (e as { status?: number } | null)?.status === 429,
      15_000,
      300,
    );
    expect(refused).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota' });
    expect((refused as InstanceType<typeof OpenAI.APIError>).headers?.get('x-should-retry')).toBe('false');
    // Raised: served again.
    expect((await api('PUT', `/admin/v1/tenants/${tenant}/budget`, { key: finance, body: { monthly_budget_eur: '100' } })).status).toBe(200);
    const served = await eventually(
      () => client.chat.completions.create({ model, messages: [{ role: 'user', content: `Back ${randomUUID()}` }], max_tokens: 3 }).then((r) => r, (e: unknown) => e),
      (r) => !(r instanceof Error),
      15_000,
      300,
    );
    expect(served).toHaveProperty('choices');
  }, 120_000);

  it('keeps money to finance roles, estimates with a real tokenizer, and answers bad input with 4xx', async () => {
    const tenant = await createTenant(uniqueId('finance'), { legal: legalFr });
    const developer = (await createKey(tenant, 'developer')).secret;
    const finance = (await createKey(tenant, 'finance')).secret;
    expect((await api('GET', `/v1/billing/usage?from=${today()}&to=${today()}`, { key: developer })).status).toBe(403);
    expect((await api('GET', '/v1/billing/invoices', { key: developer })).status).toBe(403);
    expect((await api('GET', '/v1/billing/invoices?tenant=demo', { key: finance })).status).toBe(404);
    expect((await api('GET', `/v1/billing/usage?from=2026-13-01&to=2026-12-31`, { key: finance })).status).toBe(400);
    expect((await api('GET', `/v1/billing/usage?from=2026-11-20&to=2026-11-01`, { key: finance })).status).toBe(400);
    expect((await api('GET', '/v1/billing/invoices?period=2026-1', { key: finance })).status).toBe(400);
    expect((await api('GET', '/v1/billing/invoices/inv_doesnotexist?format=pdf', { key: finance })).status).toBe(404);
    expect((await api('GET', '/v1/billing/invoices/inv_x?format=docx', { key: finance })).status).toBe(400);
    expect((await api('POST', '/admin/v1/billing/periods/2999-01/close')).status).toBe(400);
    expect((await api('POST', '/admin/v1/billing/periods/nope/close')).status).toBe(400);
    expect((await api('POST', '/admin/v1/billing/periods/2026-10/close', { key: finance })).status).toBe(403);
    expect((await api('PUT', '/admin/v1/tenants/no-such-tenant/budget', { body: { monthly_budget_eur: '1' } })).status).toBe(404);

    // Negotiated prices: a version for this tenant, only from a future instant, listed for it.
    const version = { id: uniqueId('deal'), tenantId: tenant, effectiveFrom: new Date(Date.now() + 86_400_000).toISOString(), prices: { chat_output: { priceEur: '6.5', unitSize: '1000000', unit: '1M tokens' } } };
    expect((await api('POST', '/admin/v1/billing/price-book', { key: finance, body: version })).status).toBe(403);
    expect((await api('POST', '/admin/v1/billing/price-book', { body: { ...version, effectiveFrom: '2026-01-01T00:00:00Z' } })).status).toBe(400);
    expect((await api('POST', '/admin/v1/billing/price-book', { body: version })).status).toBe(201);
    expect((await api('POST', '/admin/v1/billing/price-book', { body: version })).status).toBe(409);
    const prices = await api<{ data: { id: string; tenantId: string | null }[] }>('GET', '/v1/billing/prices', { key: finance });
    expect(prices.body.data.map((v) => v.id)).toEqual(expect.arrayContaining(['public-2025-01-01', version.id]));
    const csv = await api<string>('GET', `/v1/billing/usage?from=${today()}&to=${today()}&group_by=day,model&format=csv`, { key: finance });
    expect(csv.status).toBe(200);
    expect(csv.body.split('\r\n')[0]).toBe('day,model,quantity,amountEur,records');

    // The document's example, done properly: "Expliquez la photosynthèse", at most 200 output tokens.
    const estimate = await api<{ input_tokens: number; total_eur: string; lines: { item: string }[] }>('POST', '/v1/billing/estimate', { key: developer, body: { model, messages: [{ role: 'user', content: 'Expliquez la photosynthèse' }], max_tokens: 200 } });
    expect(estimate.status).toBe(200);
    expect(estimate.body.input_tokens).toBeGreaterThan(3);
    expect(units(estimate.body.total_eur)).toBe(BigInt(estimate.body.input_tokens) * 18n + 200n * 80n);
    expect((await api('POST', '/v1/billing/estimate', { key: developer, body: { model: 'no-such-model', prompt: 'x' } })).status).toBe(404);
    expect((await api('POST', '/v1/billing/estimate', { key: developer, body: { model } })).status).toBe(400);
  }, 60_000);

  it('dead-letters a usage event that fails its schema, with the reason, and bills nothing for it', async () => {
    const requestId = `req_${randomUUID().replaceAll('-', '')}`;
    const letters = await collectFrom(
      'platform.dead-letters',
      (v) => {
        const letter = v as { topic: string; consumer: string; reason: string; payloadBase64: string };
        return letter.consumer === 'billing.ledger' && Buffer.from(letter.payloadBase64, 'base64').toString().includes(requestId) ? letter : undefined;
      },
      (found) => found.length > 0,
      {
        timeoutMs: 30_000,
        act: async () => {
          const producer = kafka.producer();
          await producer.connect();
          await producer.send({ topic: 'inference.usage', messages: [{ key: 'demo', value: JSON.stringify({ requestId, tenantId: 'demo', inputTokens: -5 }) }] });
          await producer.disconnect();
        },
      },
    );
    expect(letters[0]).toMatchObject({ topic: 'inference.usage' });
    expect(letters[0]!.reason).toMatch(/inputTokens|keyId|model/);
  }, 60_000);
});
