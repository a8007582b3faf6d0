import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';

import { api, createKey, createTenant, uniqueId } from '../support/admin.js';
import { eventually, gatewayUrl } from '../support/platform.js';

// Models made here are experimental (beta): the public catalog and status page stay as seeded,
// and only the beta tenant created here sees them.
const today = new Date().toISOString().slice(0, 10);
const plusDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

interface AdminModel {
  id: string;
  phase: string;
  productionDate: string | null;
  endOfSupportDate: string | null;
  enabledTenants: string[];
  grants: { tenantId: string; reason: string | null }[];
}
interface ApiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

const modelPath = (id: string) => `/admin/v1/models/${encodeURIComponent(id)}`;
const newModel = (id: string, extra: Record<string, unknown> = {}) => ({ id, publisher: 'e2e', kind: 'chat', paramsBillion: 7, contextLength: 32768, stability: 'experimental', ...extra });

let betaTenant: string;
let otherTenant: string;
let betaKey: string;
let otherKey: string;
let tenantAdminKey: string;

const sdk = (key: string) => new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: key, maxRetries: 0 });
const retrieve = (key: string, id: string) => api('GET', `/v1/models/${encodeURIComponent(id)}`, { key });
const listed = async (key: string) => {
  const ids: string[] = [];
  for await (const m of sdk(key).models.list()) ids.push(m.id);
  return ids;
};

beforeAll(async () => {
  betaTenant = await createTenant(uniqueId('beta'), { betaOptIn: true });
  otherTenant = await createTenant(uniqueId('other'), { betaOptIn: true });
  betaKey = (await createKey(betaTenant, 'developer')).secret;
  otherKey = (await createKey(otherTenant, 'developer')).secret;
  tenantAdminKey = (await createKey(betaTenant, 'tenant_admin')).secret;
});

describe('operator REST /admin/v1/models', () => {
  it('is for operators only', async () => {
    expect((await api('GET', '/admin/v1/models', { key: betaKey })).status).toBe(403);
    expect((await api('POST', '/admin/v1/models', { key: tenantAdminKey, body: newModel(uniqueId('m')) })).status).toBe(403);
    expect((await api('GET', '/admin/v1/models', { key: null })).status).toBe(401);
  });

  it('lists the whole catalog, removed models and slashed ids included', async () => {
    const res = await api<{ data: AdminModel[] }>('GET', '/admin/v1/models');
    expect(res.status).toBe(200);
    expect(res.body.data.find((m) => m.id === 'qwen3:8b')?.phase).toBe('removed');
    const slashed = await api<AdminModel>('GET', modelPath('nvidia/llama-nemotron-rerank-vl-1b-v2'));
    expect(slashed.status).toBe(200);
    expect(slashed.body.id).toBe('nvidia/llama-nemotron-rerank-vl-1b-v2');
    expect((await api<ApiErrorBody>('GET', modelPath('no-such:1b'))).status).toBe(404);
  });

  it('answers bad input with 400 naming the field', async () => {
    const bad = async (path: string, method: string, body: unknown) => {
      const res = await api<ApiErrorBody>(method, path, { body });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error;
    };
    const id = uniqueId('bad');
    expect((await bad('/admin/v1/models', 'POST', newModel(id, { kind: 'telepathy' }))).param).toBe('kind');
    expect((await bad('/admin/v1/models', 'POST', newModel(id, { productionDate: '2026-02-30' }))).param).toBe('productionDate');
    expect((await bad('/admin/v1/models', 'POST', newModel(id, { productionDate: '2027-01-10', endOfSupportDate: '2026-12-31' }))).param).toBe('endOfSupportDate');
    expect((await bad('/admin/v1/models', 'POST', newModel(id, { recommendedMigration: 'no-such:1b' }))).param).toBe('recommendedMigration');
    const removed = await bad('/admin/v1/models', 'POST', newModel(id, { recommendedMigration: 'qwen3:8b' }));
    expect(removed).toMatchObject({ param: 'recommendedMigration', type: 'invalid_request_error' });
    expect(removed.message).toContain('removed');
    expect((await bad('/admin/v1/models', 'POST', { ...newModel(id), surprise: true })).code).toBe('invalid_request');
    // A shortened end of support on a model in production must leave the 3-month notice.
    const notice = await bad(`${modelPath('gemma4:31b')}/deprecate`, 'POST', { endOfSupportDate: plusDays(10) });
    expect(notice.param).toBe('endOfSupportDate');
    expect(notice.message).toMatch(/earliest is \d{4}-\d{2}-\d{2}/);
    // LTS models keep their dates.
    expect((await bad(modelPath('gpt-oss:120b'), 'PATCH', { endOfSupportDate: plusDays(200) })).message).toContain('LTS');
    // Nothing was created by the refused calls.
    expect((await api('GET', modelPath(id))).status).toBe(404);
  });

  it('refuses a duplicate id with 409', async () => {
    const id = uniqueId('dup');
    expect((await api('POST', '/admin/v1/models', { body: newModel(id) })).status).toBe(201);
    expect((await api<ApiErrorBody>('POST', '/admin/v1/models', { body: newModel(id) })).body.error).toMatchObject({ code: 'conflict', param: 'id' });
  });
});

describe('a model through its lifecycle, seen by a running gateway', () => {
  it('adds, promotes, deprecates, withdraws and re-enables for one tenant, each change visible within a second and audited', async () => {
    const id = uniqueId('life');

    // Added: evaluation, visible to beta tenants only.
    const created = await api<AdminModel>('POST', '/admin/v1/models', { body: newModel(id) });
    expect(created.status).toBe(201);
    expect(created.body.phase).toBe('evaluation');
    // The call returns once the change is on catalog.models: the gateway has it a moment later.
    const seen = await eventually(() => retrieve(betaKey, id), (r) => r.status === 200, 1000, 20);
    expect(seen.body).toMatchObject({ id, phase: 'evaluation', object: 'model' });

    // Promoted today: production.
    const promoted = await api<AdminModel>('POST', `${modelPath(id)}/promote`, { body: {} });
    expect(promoted.body).toMatchObject({ phase: 'production', productionDate: today });
    expect((await eventually(() => retrieve(betaKey, id), (r) => r.body.phase === 'production', 1000, 20)).body.phase).toBe('production');
    expect((await api<ApiErrorBody>('POST', `${modelPath(id)}/promote`, { body: {} })).body.error.code).toBe('conflict');

    // Deprecated with the minimum notice: in its notice period from today on.
    const short = await api<ApiErrorBody>('POST', `${modelPath(id)}/deprecate`, { body: { endOfSupportDate: plusDays(60) } });
    expect(short.status).toBe(400);
    const earliest = /earliest is (\d{4}-\d{2}-\d{2})/.exec(short.body.error.message)?.[1] ?? '';
    const deprecated = await api<AdminModel>('POST', `${modelPath(id)}/deprecate`, { body: { endOfSupportDate: earliest, recommendedMigration: 'gpt-oss:120b' } });
    expect(deprecated.status).toBe(200);
    expect(deprecated.body.phase).toBe('notice');

    // A call naming it is served, announcing deprecation, sunset, status page and successor.
    const notice = await eventually(() => retrieve(betaKey, id), (r) => r.body.phase === 'notice', 1000, 20);
    expect(notice.headers.get('deprecation')).toMatch(/^@\d+$/);
    expect(new Date(notice.headers.get('sunset') ?? '').toISOString().slice(0, 10)).toBe(earliest);
    expect(notice.headers.get('link')).toBe('</status/lifecycle>; rel="deprecation"; type="text/html", </v1/models/gpt-oss:120b>; rel="successor-version"');
    // (An empty message list: refused after the lifecycle check, so no inference runs.)
    const call = await api('POST', '/v1/chat/completions', { key: betaKey, body: { model: id, messages: [] } });
    expect(call.headers.get('sunset')).toBe(notice.headers.get('sunset'));

    // Emergency withdrawal: 410 at once, naming the reason and the migration.
    const withdrawn = await api<AdminModel>('POST', `${modelPath(id)}/withdraw`, { body: { reason: 'security advisory E2E-1' } });
    expect(withdrawn.body.phase).toBe('removed');
    const gone = await eventually(() => sdk(betaKey).models.retrieve(id).catch((e: unknown) => e), (e) => e instanceof OpenAI.APIError && e.status === 410, 1000, 20);
    expect(gone).toMatchObject({ status: 410, code: 'model_deprecated', param: 'model' });
    expect((gone as Error).message).toContain('security advisory E2E-1');
    expect((gone as Error).message).toContain("Use 'gpt-oss:120b' instead");
    expect(await listed(betaKey)).not.toContain(id);

    // Re-enabled for one tenant only.
    const granted = await api<AdminModel>('PUT', `${modelPath(id)}/tenants/${betaTenant}`, { body: { reason: 'migration project' } });
    expect(granted.status).toBe(200);
    expect(granted.body.grants).toEqual([expect.objectContaining({ tenantId: betaTenant, reason: 'migration project' })]);
    expect((await eventually(() => retrieve(betaKey, id), (r) => r.status === 200, 1000, 20)).status).toBe(200);
    expect(await listed(betaKey)).toContain(id);
    expect((await retrieve(otherKey, id)).status).toBe(410);
    expect(await listed(otherKey)).not.toContain(id);
    expect((await api<ApiErrorBody>('PUT', `${modelPath(id)}/tenants/no-such-tenant`, { body: {} })).status).toBe(404);

    // Revoked: gone again for that tenant too.
    expect((await api('DELETE', `${modelPath(id)}/tenants/${betaTenant}`)).status).toBe(200);
    expect((await eventually(() => retrieve(betaKey, id), (r) => r.status === 410, 1000, 20)).status).toBe(410);
    expect((await api('DELETE', `${modelPath(id)}/tenants/${betaTenant}`)).status).toBe(404);

    // Every change is in the audit trail: the platform's for the catalog, the tenant's for its grant.
    const platform = await eventually(
      () => api<{ data: { action: string; model: string; source: string }[] }>('GET', `/admin/v1/tenants/_platform/audit?limit=1000&from=${encodeURIComponent(new Date(Date.now() - 600_000).toISOString())}`),
      (r) => r.body.data.filter((e) => e.model === id).length >= 4,
      10_000,
    );
    expect(platform.body.data.filter((e) => e.model === id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['catalog.model.create', 'catalog.model.promote', 'catalog.model.deprecate', 'catalog.model.withdraw']),
    );
    const tenantTrail = await eventually(
      () => api<{ data: { action: string; model: string; source: string }[] }>('GET', `/admin/v1/tenants/${betaTenant}/audit?limit=1000`),
      (r) => r.body.data.filter((e) => e.source === 'lifecycle').length >= 2,
      10_000,
    );
    expect(tenantTrail.body.data.filter((e) => e.source === 'lifecycle').map((e) => e.action)).toEqual(expect.arrayContaining(['catalog.model.grant', 'catalog.model.revoke-grant']));
  });

  it('hides evaluation and beta models from tenants without the opt-in', async () => {
    const id = uniqueId('hidden');
    await api('POST', '/admin/v1/models', { body: newModel(id, { productionDate: '2026-01-01' }) });
    const plain = await createTenant(uniqueId('plain'));
    const plainKey = (await createKey(plain, 'developer')).secret;
    await eventually(() => retrieve(betaKey, id), (r) => r.status === 200, 1000, 20);
    expect((await retrieve(plainKey, id)).body).toMatchObject({ error: { code: 'model_not_found' } });
    expect(await listed(plainKey)).not.toContain(id);
  });
});

describe('the public status page /status/lifecycle', () => {
  it('serves JSON on request, upcoming removals first, and HTML to browsers', async () => {
    const json = await fetch(`${gatewayUrl}/status/lifecycle`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(200);
    const page = (await json.json()) as { data: { id: string; phase: string; end_of_support_date: string | null }[] };
    const phases = page.data.map((m) => m.phase);
    const firstRemoved = phases.indexOf('removed');
    expect(firstRemoved).toBeGreaterThan(0);
    expect(phases.slice(firstRemoved).every((p) => p === 'removed')).toBe(true);
    const upcoming = page.data.slice(0, firstRemoved).filter((m) => m.end_of_support_date).map((m) => m.end_of_support_date ?? '');
    expect(upcoming).toEqual([...upcoming].sort());
    expect(page.data.some((m) => m.id === 'qwen3:8b')).toBe(true);
    expect(page.data.some((m) => m.id.startsWith('life-'))).toBe(false); // beta models are not public

    const html = await fetch(`${gatewayUrl}/status/lifecycle`, { headers: { accept: 'text/html' } });
    expect(html.headers.get('content-type')).toContain('text/html');
    const text = await html.text();
    expect(text).toContain('<title>LLMaaS Status — Lifecycle</title>');
    expect(text).toContain('gpt-oss:120b');
  });
});
