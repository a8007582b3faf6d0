import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import OpenAI from 'openai';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  accepted,
  api,
  createKey,
  createTenant,
  uniqueId,
  type CreatedKey,
} from '../support/admin.js';
import { kafka } from '../support/kafka.js';
import { smallestServed } from '../support/models.js';
import {
  adminKey,
  eventually,
  exec,
  gatewayUrl,
  infra,
  readyz,
  repoRoot,
} from '../support/platform.js';

// The web console (apps/console, served by the gateway at /console) in Debian's headless
// Chromium, against the running platform: sign in with a key, usage after real completions, a
// key rotated in the page and its successor used with the openai client, an invoice PDF
// downloaded, a killed worker agent seen down in the fleet. Screenshots of every view go to
// test-artifacts/console/ (git-ignored).

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artefacts = join(repoRoot, 'test-artifacts', 'console');
const consoleUrl = `${gatewayUrl}/console/`;
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const legal = {
  legalName: 'Console SAS',
  addressLine: '5 avenue Anatole France',
  postalCode: '75007',
  city: 'Paris',
  country: 'FR',
  vatNumber: 'FR40303265045',
};

interface Opened {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

let browser: Browser;
let model: string;
let tenant: string;
let tenantAdmin: CreatedKey;
let developer: CreatedKey;

beforeAll(async () => {
  await mkdir(artefacts, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
  model = await smallestServed('chat', (m) => !m.reasoning);
  tenant = await createTenant(uniqueId('console'), { legal });
  tenantAdmin = await createKey(tenant, 'tenant_admin');
  developer = await createKey(tenant, 'developer');
  await eventually(() => accepted(developer.secret), Boolean, 10_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function open(viewport = desktop): Promise<Opened> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    problems.push(`console error: ${message.text()} (${url})`);
  });
  return { context, page, problems };
}

async function signIn(page: Page, key: string, firstView: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: firstView }).waitFor();
}

async function go(page: Page, label: string, heading = label): Promise<void> {
  const menu = page.getByRole('button', { name: 'Menu' });
  // On a phone the menu is folded behind its button.
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true')
    await menu.click();
  await page
    .getByRole('navigation', { name: 'Console' })
    .getByRole('link', { name: label, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(artefacts, `${name}.png`), fullPage: true });

describe('web console', () => {
  it('is served by the gateway without a key, as static files with types and cache headers', async () => {
    const index = await fetch(`${gatewayUrl}/console`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = await index.text();
    // A client route is the same page (the router runs in the browser).
    expect(await (await fetch(`${gatewayUrl}/console/keys`)).text()).toBe(html);

    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${gatewayUrl}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('br');

    const missing = await fetch(`${gatewayUrl}/console/assets/missing-0000.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { type: string } }).error.type).toBe(
      'not_found_error',
    );
    const outside = await fetch(`${gatewayUrl}/console/%2e%2e/%2e%2e/gateway/package.json`);
    expect(outside.status).toBe(404);
    // The API behind it still wants a key.
    expect((await fetch(`${gatewayUrl}/v1/models`)).status).toBe(401);
  });

  it('says in words why a key is refused', async () => {
    const { context, page } = await open();
    try {
      await page.goto(consoleUrl);
      await page
        .getByLabel('API key')
        .fill(`${developer.secret.slice(0, -1)}${developer.secret.endsWith('a') ? 'b' : 'a'}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toMatch(/Incorrect API key provided.*Check that the whole key was pasted/);
      await shot(page, 'login-refused-1280');
    } finally {
      await context.close();
    }
  });

  it('measures the first load: bytes shipped and time until the sign-in form answers', async () => {
    const { context, page, problems } = await open();
    try {
      await page.goto(consoleUrl, { waitUntil: 'commit' });
      await page.getByLabel('API key').waitFor();
      const metrics = await page.evaluate(() => {
        const interactiveMs = performance.now();
        // Runs in the page; the test package's types are Node's, hence the local shapes.
        type Entry = {
          name: string;
          transferSize: number;
          decodedBodySize: number;
          domContentLoadedEventEnd: number;
        };
        const entries = (type: string) =>
          (performance.getEntriesByType as unknown as (t: string) => Entry[])(type);
        const nav = entries('navigation')[0]!;
        const resources = entries('resource');
        return {
          interactiveMs: Math.round(interactiveMs),
          domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
          transferredBytes: nav.transferSize + resources.reduce((s, r) => s + r.transferSize, 0),
          decodedBytes: nav.decodedBodySize + resources.reduce((s, r) => s + r.decodedBodySize, 0),
          files: [nav.name, ...resources.map((r) => r.name)].map((u) => new URL(u).pathname),
        };
      });
      await writeFile(
        join(artefacts, 'first-load.json'),
        `${JSON.stringify({ ...metrics, chromium: browser.version(), at: new Date().toISOString() }, null, 2)}\n`,
      );
      console.log(
        `console first load: ${metrics.transferredBytes} bytes transferred (${metrics.decodedBytes} decoded), interactive after ${metrics.interactiveMs} ms`,
      );
      // A small bundle (React + hand-written SVG charts, compressed): well under 150 kB on the wire.
      expect(metrics.transferredBytes).toBeLessThan(150_000);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('signs a developer key in with one GET /v1/me: its role and its tenant, no console error', async () => {
    // Named apart from the `developer key` the rotation test counts; checked with /v1/me, not
    // with a completion, so the tenant's request history stays what the next test expects.
    const key = await createKey(tenant, 'developer', { name: 'console developer' });
    const me = await eventually(
      () =>
        api<{ role: string; tenant: { id: string; name: string } }>('GET', '/v1/me', {
          key: key.secret,
        }),
      (r) => r.status === 200,
      10_000,
    );
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      role: 'developer',
      tenant: { id: tenant, name: `Tenant ${tenant}` },
    });
    expect((await fetch(`${gatewayUrl}/v1/me`)).status).toBe(401);

    const { context, page, problems } = await open();
    try {
      const calls: string[] = [];
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (!path.startsWith('/console')) calls.push(`${request.method()} ${path}`);
      });
      await signIn(page, key.secret, 'Batches');
      await expect
        .poll(() => page.locator('.who span').textContent())
        .toBe(`Developer · Tenant ${tenant}`);
      // Identified by one call, not by probing what the key may do.
      expect(calls[0]).toBe('GET /v1/me');
      expect(calls.filter((c) => c === 'GET /v1/me')).toHaveLength(1);
      expect(calls.some((c) => c.includes('/admin/') || c.includes('/billing/'))).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a tenant admin the usage of real completions, then every tenant view', async () => {
    const client = new OpenAI({
      baseURL: `${gatewayUrl}/v1`,
      apiKey: developer.secret,
      maxRetries: 3,
      timeout: 60_000,
    });
    let prompt = 0;
    let completion = 0;
    for (let i = 0; i < 3; i++) {
      const r = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: `Console check ${i}: name a colour.` }],
        max_tokens: 8,
      });
      prompt += r.usage!.prompt_tokens;
      completion += r.usage!.completion_tokens;
    }
    const day = new Date().toISOString().slice(0, 10);
    // The ledger meters asynchronously (Kafka → billing); the page shows what it has.
    const ledger = await eventually(
      () =>
        api<{ data: { records: number; quantity: string; item: string }[] }>(
          'GET',
          `/v1/billing/usage?from=${day}&to=${day}&group_by=item`,
          { key: tenantAdmin.secret },
        ),
      (r) =>
        r.body.data?.find((x) => x.item === 'chat_input')?.records === 3 &&
        r.body.data.find((x) => x.item === 'chat_output')?.quantity === String(completion),
      60_000,
      500,
    );
    expect(ledger.status).toBe(200);
    // So does the audit trail (gateway → Kafka → auth), which the request history reads: the three
    // completions and the empty request `accepted()` made in beforeAll to see the key work (a 400).
    const audit = await eventually(
      () =>
        api<{ data: unknown[] }>(
          'GET',
          `/admin/v1/tenants/${tenant}/audit?action=${encodeURIComponent('POST /v1/chat/completions')}`,
          { key: tenantAdmin.secret },
        ),
      (r) => r.body.data?.length === 4,
      30_000,
      500,
    );
    expect(audit.body.data).toHaveLength(4);

    const { context, page, problems } = await open();
    try {
      await signIn(page, tenantAdmin.secret, 'Usage');
      const row = page.locator(`tr[data-model="${model}"]`);
      await row.waitFor();
      await expect
        .poll(() => row.locator('td').allTextContents())
        .toEqual([
          '3',
          prompt.toLocaleString('en'),
          completion.toLocaleString('en'),
          expect.stringMatching(/^€/),
        ]);
      await expect
        .poll(() => page.locator('.kpi', { hasText: 'Requests' }).locator('dd').textContent())
        .toBe('3');
      await expect
        .poll(() => page.getByRole('img', { name: 'Tokens per day, by model' }).count())
        .toBe(1);
      await shot(page, 'tenant-usage-1280');

      await go(page, 'Performance');
      await expect
        .poll(() =>
          page.locator('.kpi', { hasText: 'Requests (last hour)' }).locator('dd').textContent(),
        )
        .toBe('4');
      expect(
        await page.locator('.kpi', { hasText: 'Error rate' }).locator('dd').textContent(),
      ).toBe('25.0 %');
      // Latency p50/p95 per minute, computed in the page from the records' latencyMs.
      await page.getByRole('img', { name: 'Latency per minute (p50, p95)' }).waitFor();
      expect(
        await page.locator('.kpi', { hasText: 'Latency p95' }).locator('dd').textContent(),
      ).toMatch(/^[\d.]+ m?s$/);
      await shot(page, 'tenant-performance-1280');

      await go(page, 'Requests', 'Request history');
      const completions = page.locator('tbody tr', { hasText: 'POST /v1/chat/completions' });
      await expect.poll(() => completions.count()).toBe(4);
      await expect.poll(() => completions.filter({ hasText: model }).count()).toBe(3);
      expect(await completions.filter({ hasText: '400' }).count()).toBe(1);
      await expect.poll(() => completions.locator('td[data-latency-ms]').count()).toBe(4);
      expect(await completions.first().locator('td[data-latency-ms]').textContent()).toMatch(
        /^[\d.]+ m?s$/,
      );
      await shot(page, 'tenant-requests-1280');

      await go(page, 'API keys');
      await page.locator(`tr[data-key-id="${tenantAdmin.id}"]`).getByText('this key').waitFor();
      await shot(page, 'tenant-keys-1280');

      await go(page, 'Batches');
      await page.getByText('No batches yet').waitFor();
      await shot(page, 'tenant-batches-1280');

      await go(page, 'Invoices');
      await page.getByRole('heading', { name: /so far/ }).waitFor();
      await shot(page, 'tenant-invoices-1280');

      await go(page, 'Models');
      await page
        .getByRole('row', { name: new RegExp(escapeRegExp(model)) })
        .first()
        .waitFor();
      await shot(page, 'tenant-models-1280');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // The same console on a phone: the menu folds behind a button.
    const small = await open(phone);
    try {
      await signIn(small.page, tenantAdmin.secret, 'Usage');
      await small.page.locator(`tr[data-model="${model}"]`).waitFor();
      expect(await small.page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(false);
      await shot(small.page, 'tenant-usage-390');
      await small.page.getByRole('button', { name: 'Menu' }).click();
      expect(
        await small.page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded'),
      ).toBe('true');
      await small.page.screenshot({ path: join(artefacts, 'tenant-menu-390.png') });
      await go(small.page, 'API keys');
      await shot(small.page, 'tenant-keys-390');
      expect(small.problems).toEqual([]);
    } finally {
      await small.context.close();
    }
  }, 180_000);

  it('rotates a key in the page; the successor, shown once, works with the openai client', async () => {
    const { context, page, problems } = await open();
    try {
      await signIn(page, tenantAdmin.secret, 'Usage');
      await go(page, 'API keys');
      // Keyboard only: the row's button, the dialog's field and its submit button.
      const rotate = page
        .locator(`tr[data-key-id="${developer.id}"]`)
        .getByRole('button', { name: 'Rotate developer key' });
      await rotate.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Rotate “developer key”?' });
      await dialog.waitFor();
      await dialog.getByLabel('Overlap (hours)').fill('0');
      await dialog.getByRole('button', { name: 'Rotate' }).focus();
      await page.keyboard.press('Enter');
      const secret = (await page.getByTestId('new-secret').textContent())?.trim() ?? '';
      expect(secret).toMatch(/^llm_[A-Za-z0-9]{38}$/);
      expect(secret).not.toBe(developer.secret);
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'rotated' }).count())
        .toBe(1);

      // The successor answers a real completion; with no overlap the old secret is refused.
      await eventually(() => accepted(secret), Boolean, 10_000);
      const successor = new OpenAI({
        baseURL: `${gatewayUrl}/v1`,
        apiKey: secret,
        maxRetries: 2,
        timeout: 60_000,
      });
      const answer = await successor.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Rotated key check.' }],
        max_tokens: 4,
      });
      expect(answer.usage?.completion_tokens).toBeGreaterThan(0);
      expect(
        await eventually(
          () => accepted(developer.secret),
          (ok) => !ok,
          10_000,
        ),
      ).toBe(false);

      // Shown once: gone from the page when dismissed, and never in the key list.
      await page.getByRole('button', { name: 'I have stored it' }).click();
      expect(await page.getByTestId('new-secret').count()).toBe(0);
      expect(await page.content()).not.toContain(secret);
      await expect.poll(() => page.locator('tr[data-key-name="developer key"]').count()).toBe(2);
      await shot(page, 'tenant-keys-rotated-1280');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('downloads an invoice PDF', async () => {
    // Last month's usage for this tenant (as the gateway would have metered it), then an operator
    // closes that month: the tenant gets its invoice.
    const now = new Date();
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 10));
    const period = month.toISOString().slice(0, 7);
    const producer = kafka.producer();
    await producer.connect();
    const event = {
      requestId: `req_${randomUUID().replaceAll('-', '')}`,
      tenantId: tenant,
      keyId: developer.id,
      model,
      kind: 'chat',
      mode: 'interactive',
      status: 'completed',
      inputTokens: 120_000,
      outputTokens: 40_000,
      reasoningTokens: 0,
      documents: 0,
      audioSeconds: 0,
      workerId: 'worker-1',
      startedAt: month.toISOString(),
      finishedAt: new Date(month.getTime() + 1000).toISOString(),
      timeToFirstTokenMs: 12,
    };
    await producer.send({
      topic: 'inference.usage',
      messages: [{ key: tenant, value: JSON.stringify(event) }],
    });
    await producer.disconnect();
    await eventually(
      () =>
        api<{ data: unknown[] }>(
          'GET',
          `/v1/billing/usage?from=${period}-01&to=${period}-28&group_by=item`,
          { key: tenantAdmin.secret },
        ),
      (r) => (r.body.data?.length ?? 0) > 0,
      30_000,
      500,
    );
    const closed = await api('POST', `/admin/v1/billing/periods/${period}/close`);
    expect(closed.status).toBe(200);
    const invoices = await api<{ data: { id: string; number: string; kind: string }[] }>(
      'GET',
      '/v1/billing/invoices',
      { key: tenantAdmin.secret },
    );
    const invoice = invoices.body.data.find((i) => i.kind === 'invoice');
    expect(invoice?.number).toMatch(/^F-\d{4}-\d{6}$/);

    const { context, page, problems } = await open();
    try {
      await signIn(page, tenantAdmin.secret, 'Usage');
      await go(page, 'Invoices');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: `Download ${invoice!.number} as PDF` }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      const file = join(artefacts, `invoice-${invoice!.number}.pdf`);
      await download.saveAs(file);
      const pdf = await readFile(file);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(1000);
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Downloaded' }).count())
        .toBe(1);
      await shot(page, 'tenant-invoices-issued-1280');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows an operator the fleet, and the workers down when their agent is killed', async () => {
    const { context, page, problems } = await open();
    const workers = page.locator('[data-worker]');
    try {
      await signIn(page, adminKey(), 'Fleet');
      await expect.poll(() => workers.count()).toBeGreaterThan(0);
      await expect
        .poll(() => page.locator('[data-worker][data-state="down"]').count(), { timeout: 30_000 })
        .toBe(0);
      expect(await page.getByRole('meter').count()).toBeGreaterThan(0);
      await shot(page, 'operator-fleet-1280');

      await go(page, 'Tenants');
      await page.getByRole('row', { name: new RegExp(tenant) }).waitFor();
      await shot(page, 'operator-tenants-1280');
      await go(page, 'Alerts');
      await shot(page, 'operator-alerts-1280');
      await go(page, 'Catalog admin', 'Catalog administration');
      await page
        .getByRole('row', { name: new RegExp(escapeRegExp(model)) })
        .first()
        .waitFor();
      await shot(page, 'operator-catalog-admin-1280');
      // A change the lifecycle rules refuse is explained in the dialog, in the platform's words.
      await page.getByRole('button', { name: `Deprecate ${model}`, exact: true }).click();
      const dialog = page.getByRole('dialog', { name: `Deprecate ${model}` });
      await dialog
        .getByLabel('End of support')
        .fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
      await dialog.getByRole('button', { name: 'Set end of support' }).click();
      await expect
        .poll(() => dialog.getByRole('alert').textContent())
        .toMatch(/endOfSupportDate: .*(3-month notice|can only be extended)/);
      await page.screenshot({ path: join(artefacts, 'operator-catalog-refused-1280.png') });
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await go(page, 'Models');
      await shot(page, 'operator-models-1280');
      await go(page, 'Fleet');
      await expect.poll(() => workers.count()).toBeGreaterThan(0);

      const pid = (await readFile(join(repoRoot, '.data', 'run', 'worker.pid'), 'utf8')).trim();
      await exec('kill', ['-9', pid]);
      try {
        // Heartbeats stop; the scheduler marks each machine down after WORKER_DOWN_AFTER_MS (3.5 s).
        await expect
          .poll(
            async () =>
              (await workers.count()) > 0 &&
              (await page.locator('[data-worker][data-state="up"]').count()) === 0,
            { timeout: 30_000, interval: 500 },
          )
          .toBe(true);
        expect(
          await page.getByRole('status').filter({ hasText: 'workers are down' }).textContent(),
        ).toMatch(/(\d+) of \1 workers are down/);
        await shot(page, 'operator-fleet-down-1280');
      } finally {
        await infra('infra/services.sh', 'start', 'worker');
        await eventually(
          () => readyz('worker'),
          (r) => r.status === 200,
          60_000,
        );
      }
      await expect
        .poll(() => page.locator('[data-worker][data-state="down"]').count(), {
          timeout: 60_000,
          interval: 1000,
        })
        .toBe(0);
      // The refused deprecation above is the only failed load.
      expect(problems.filter((p) => !/status of 400 .*\/deprecate\)$/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }

    const small = await open(phone);
    try {
      await signIn(small.page, adminKey(), 'Fleet');
      await small.page.locator('[data-worker]').first().waitFor();
      await shot(small.page, 'operator-fleet-390');
      expect(small.problems).toEqual([]);
    } finally {
      await small.context.close();
    }
  }, 240_000);
});
