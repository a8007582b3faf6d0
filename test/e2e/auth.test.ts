import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { accepted, api, createKey, createTenant, fromAddress, uniqueId, type CreatedKey } from '../support/admin.js';
import { eventually } from '../support/platform.js';

const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://llmaas:llmaas@127.0.0.1:15432/llmaas';

let tenantA: string;
let tenantB: string;
let adminA: CreatedKey;
let adminB: CreatedKey;
let developerA: CreatedKey;
let financeA: CreatedKey;

beforeAll(async () => {
  tenantA = await createTenant();
  tenantB = await createTenant();
  adminA = await createKey(tenantA, 'tenant_admin');
  adminB = await createKey(tenantB, 'tenant_admin');
  developerA = await createKey(tenantA, 'developer', { models: ['qwen3*'] });
  financeA = await createKey(tenantA, 'finance');
  // The gateway learns new keys from auth.keys; wait until the last one works.
  await eventually(() => accepted(developerA.secret), Boolean, 10_000);
});

describe('API keys', () => {
  it('is shown once: listings carry a display prefix, never the secret', async () => {
    const list = await api<{ data: Record<string, unknown>[] }>('GET', `/admin/v1/tenants/${tenantA}/keys`, { key: adminA.secret });
    expect(list.status).toBe(200);
    const listed = list.body.data.find((k) => k.id === developerA.id);
    expect(listed?.displayPrefix).toBe(developerA.secret.slice(0, 10));
    expect(JSON.stringify(list.body)).not.toContain(developerA.secret);
  });

  it('rejects a mistyped key by its checksum, and an unknown well-formed key', async () => {
    const typo = developerA.secret.slice(0, 20) + (developerA.secret[20] === 'a' ? 'b' : 'a') + developerA.secret.slice(21);
    const res = await api<{ error: { code: string } }>('POST', '/v1/chat/completions', { key: typo, body: { model: 'qwen3:0.6b' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_api_key');
  });

  it('enforces per-model permissions of the key and of the tenant', async () => {
    const denied = await api<{ error: { code: string; param: string } }>('POST', '/v1/chat/completions', { key: developerA.secret, body: { model: 'gpt-oss:120b', messages: [] } });
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'model_not_allowed', param: 'model' });
    expect(await accepted(developerA.secret)).toBe(true);

    const narrow = await createTenant(uniqueId('narrow'), { models: ['gpt-oss*'] });
    const anyModelKey = await createKey(narrow, 'developer');
    await eventually(async () => (await api('POST', '/v1/chat/completions', { key: anyModelKey.secret, body: { model: 'gpt-oss:20b' } })).status, (s) => s !== 401, 10_000);
    const tenantDenied = await api('POST', '/v1/chat/completions', { key: anyModelKey.secret, body: { model: 'qwen3:0.6b' } });
    expect(tenantDenied.status).toBe(403);
  });

  it('rotates with an overlap: both keys work until the predecessor expires', async () => {
    const original = await createKey(tenantA, 'developer');
    await eventually(() => accepted(original.secret), Boolean, 10_000);
    const rotated = await api<CreatedKey & { predecessorId: string }>('POST', `/admin/v1/keys/${original.id}/rotate`, { key: adminA.secret, body: { overlap_hours: 1 } });
    expect(rotated.status).toBe(201);
    expect(rotated.body.predecessorId).toBe(original.id);
    await eventually(() => accepted(rotated.body.secret), Boolean, 10_000);
    expect(await accepted(original.secret)).toBe(true);
    const predecessor = await api<{ expiresAt: string; successorId: string }>('GET', `/admin/v1/keys/${original.id}`, { key: adminA.secret });
    expect(predecessor.body.successorId).toBe(rotated.body.id);
    const hoursLeft = (Date.parse(predecessor.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(0.9);
    expect(hoursLeft).toBeLessThanOrEqual(1);

    // With no overlap the predecessor stops at once.
    const second = await api<CreatedKey>('POST', `/admin/v1/keys/${rotated.body.id}/rotate`, { key: adminA.secret, body: { overlap_hours: 0 } });
    await eventually(() => accepted(rotated.body.secret), (ok) => !ok, 10_000);
    const expired = await api<{ error: { code: string } }>('POST', '/v1/chat/completions', { key: rotated.body.secret, body: { model: 'qwen3:0.6b' } });
    expect(expired.body.error.code).toBe('api_key_expired');
    await eventually(() => accepted(second.body.secret), Boolean, 10_000);
  });

  it('expires a key at its expiry date', async () => {
    const shortLived = await createKey(tenantA, 'developer', { expiresAt: new Date(Date.now() + 3000).toISOString() });
    await eventually(() => accepted(shortLived.secret), Boolean, 10_000);
    const afterExpiry = await eventually(() => accepted(shortLived.secret), (ok) => !ok, 10_000);
    expect(afterExpiry).toBe(false);
  });

  it('revokes a key on a running gateway within about a second', async () => {
    const victim = await createKey(tenantA, 'developer');
    await eventually(() => accepted(victim.secret), Boolean, 10_000);
    const revoked = await api('POST', `/admin/v1/keys/${victim.id}/revoke`, { key: adminA.secret });
    expect(revoked.status).toBe(200);
    const started = Date.now();
    await eventually(() => accepted(victim.secret), (ok) => !ok, 5000, 20);
    const elapsed = Date.now() - started;
    const res = await api<{ error: { code: string } }>('POST', '/v1/chat/completions', { key: victim.secret, body: { model: 'qwen3:0.6b' } });
    expect(res.body.error.code).toBe('api_key_revoked');
    expect(elapsed).toBeLessThan(1500);
  });

  it('answers GET /v1/me with the key, its role and its tenant to every role, never the secret', async () => {
    for (const key of [developerA, financeA, adminA]) {
      const me = await api('GET', '/v1/me', { key: key.secret });
      expect(me.status).toBe(200);
      expect(JSON.stringify(me.body)).not.toContain(key.secret);
    }
    const me = await api('GET', '/v1/me', { key: developerA.secret });
    expect(me.body).toEqual({
      object: 'api_key',
      key_id: developerA.id,
      tenant_id: tenantA,
      role: 'developer',
      models: ['qwen3*'],
      tenant: { id: tenantA, name: `Tenant ${tenantA}`, tier: expect.any(String) as unknown, status: 'active' },
    });
    expect((await api('GET', '/v1/me', { key: financeA.secret })).body).toMatchObject({ role: 'finance', tenant: { id: tenantA } });
    expect((await api('GET', '/v1/me')).body).toMatchObject({ role: 'operator' });
    const anonymous = await api<{ error: { code: string } }>('GET', '/v1/me', { key: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('missing_api_key');
  });

  it('slows down repeated invalid keys from one address with 429 and retry-after', async () => {
    // Its own loopback address, fresh each run: the counter of 127.0.0.1 is not this test's to fill.
    const agent = fromAddress(`127.0.${Math.floor(Math.random() * 200) + 20}.${Math.floor(Math.random() * 200) + 20}`);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await api('GET', '/v1/models', { key: 'llm_wrong', from: agent });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // A valid key from that address still works; other addresses are not affected.
    expect((await api('GET', `/admin/v1/tenants/${tenantA}`, { key: adminA.secret, from: agent })).status).toBe(200);
    expect((await api('GET', '/v1/models', { key: 'llm_wrong' })).status).toBe(401);
    await agent.close();
  });
});

describe('roles on admin routes', () => {
  const routes = (keyId: string) => [
    ['POST', '/admin/v1/tenants', { id: uniqueId('x'), name: 'x' }],
    ['GET', '/admin/v1/tenants', undefined],
    ['GET', `/admin/v1/tenants/${tenantA}`, undefined],
    ['PATCH', `/admin/v1/tenants/${tenantA}`, { contactEmails: ['a@b.test'] }],
    ['POST', `/admin/v1/tenants/${tenantA}/keys`, { name: 'k', role: 'developer' }],
    ['GET', `/admin/v1/tenants/${tenantA}/keys`, undefined],
    ['GET', `/admin/v1/keys/${keyId}`, undefined],
    ['GET', `/admin/v1/tenants/${tenantA}/audit`, undefined],
    ['GET', `/admin/v1/tenants/${tenantA}/audit/verify`, undefined],
    ['GET', `/admin/v1/tenants/${tenantA}/audit/export`, undefined],
    ['GET', '/admin/v1/status', undefined],
    ['GET', '/admin/v1/fleet', undefined],
  ] as const;

  it('refuses developer and finance keys on every admin route', async () => {
    for (const key of [developerA, financeA]) {
      for (const [method, path, body] of routes(developerA.id)) {
        const res = await api<{ error: { code: string } }>(method, path, { key: key.secret, body });
        expect(res.status, `${method} ${path}`).toBe(403);
        expect(res.body.error.code).toBe('insufficient_role');
      }
    }
  });

  it('lets a tenant admin manage its own tenant but not create tenants or see the platform', async () => {
    const expected: Record<string, number> = { 'POST /admin/v1/tenants': 403, 'GET /admin/v1/status': 403, 'GET /admin/v1/fleet': 403 };
    for (const [method, path, body] of routes(developerA.id)) {
      const res = await api(method, path, { key: adminA.secret, body });
      const want = expected[`${method} ${path}`];
      if (want) expect(res.status, `${method} ${path}`).toBe(want);
      else expect(res.status, `${method} ${path}`).toBeLessThan(300);
    }
  });

  it('keeps the guard policy, tier and status for operators', async () => {
    const res = await api<{ error: { code: string; param: string } }>('PATCH', `/admin/v1/tenants/${tenantA}`, { key: adminA.secret, body: { guard: { enabled: false, threshold: 0.9 } } });
    expect(res.status).toBe(403);
    expect(res.body.error.param).toBe('guard');
    const minted = await api('POST', `/admin/v1/tenants/${tenantA}/keys`, { key: adminA.secret, body: { name: 'escalate', role: 'operator' } });
    expect(minted.status).toBe(403);
    const byOperator = await api<{ guard: { enabled: boolean } }>('PATCH', `/admin/v1/tenants/${tenantA}`, { body: { guard: { enabled: false, threshold: 0.9 } } });
    expect(byOperator.status).toBe(200);
    expect(byOperator.body.guard.enabled).toBe(false);
  });
});

describe('tenant isolation', () => {
  it('answers 404 to a tenant admin of A acting on anything of B', async () => {
    const keyOfB = await createKey(tenantB, 'developer');
    const attempts = [
      ['GET', `/admin/v1/tenants/${tenantB}`],
      ['PATCH', `/admin/v1/tenants/${tenantB}`],
      ['GET', `/admin/v1/tenants/${tenantB}/keys`],
      ['POST', `/admin/v1/tenants/${tenantB}/keys`],
      ['GET', `/admin/v1/keys/${keyOfB.id}`],
      ['POST', `/admin/v1/keys/${keyOfB.id}/rotate`],
      ['POST', `/admin/v1/keys/${keyOfB.id}/revoke`],
      ['POST', `/admin/v1/keys/${keyOfB.id}/secret`],
      ['GET', `/admin/v1/tenants/${tenantB}/audit`],
      ['GET', `/admin/v1/tenants/${tenantB}/audit/verify`],
      ['GET', `/admin/v1/tenants/${tenantB}/audit/export`],
    ] as const;
    for (const [method, path] of attempts) {
      const body = method === 'GET' ? undefined : path.endsWith('/keys') ? { name: 'k', role: 'developer' } : method === 'PATCH' ? { contactEmails: [] } : {};
      const res = await api(method, path, { key: adminA.secret, body });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    // B's key still works: nothing happened to it.
    await eventually(() => accepted(keyOfB.secret), Boolean, 10_000);
    const own = await api<{ data: { tenantId: string }[] }>('GET', '/admin/v1/tenants', { key: adminB.secret });
    expect(own.body.data.map((t) => t.tenantId)).toEqual([tenantB]);
  });
});

describe('bad admin input', () => {
  it('names the offending field, refuses duplicates, and 404s unknown ids', async () => {
    const bad = await api<{ error: { param: string; type: string } }>('POST', '/admin/v1/tenants', { body: { id: 'Bad Id!', name: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ param: 'id', type: 'invalid_request_error' });
    const unknownField = await api<{ error: { message: string } }>('POST', '/admin/v1/tenants', { body: { id: uniqueId('u'), name: 'x', colour: 'red' } });
    expect(unknownField.status).toBe(400);
    const vat = await api<{ error: { param: string } }>('PATCH', `/admin/v1/tenants/${tenantA}`, { key: adminA.secret, body: { legal: { legalName: 'A', addressLine: 'x', postalCode: '1', city: 'P', country: 'France' } } });
    expect(vat.body.error.param).toBe('legal.country');
    const role = await api<{ error: { param: string } }>('POST', `/admin/v1/tenants/${tenantA}/keys`, { key: adminA.secret, body: { name: 'k', role: 'root' } });
    expect(role.body.error.param).toBe('role');
    const dup = await api('POST', '/admin/v1/tenants', { body: { id: tenantA, name: 'again' } });
    expect(dup.status).toBe(409);
    expect((await api('GET', '/admin/v1/tenants/nope-nope')).status).toBe(404);
    expect((await api('GET', '/admin/v1/keys/key_doesnotexist')).status).toBe(404);
    const malformed = await fetch('http://127.0.0.1:8080/admin/v1/tenants', { method: 'POST', headers: { authorization: `Bearer ${adminA.secret}`, 'content-type': 'application/json' }, body: '{"id":' });
    expect(malformed.status).toBe(400);
  });
});

describe('audit trail', () => {
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });
  afterAll(async () => db.end());

  it('records every authenticated request, queryable with filters and a cursor, without prompt text', async () => {
    const tenant = await createTenant();
    const admin = await createKey(tenant, 'tenant_admin');
    await eventually(async () => (await api('GET', `/admin/v1/tenants/${tenant}`, { key: admin.secret })).status, (s) => s === 200, 10_000);
    for (let i = 0; i < 5; i++) await api('GET', `/admin/v1/tenants/${tenant}/keys`, { key: admin.secret });
    const listAction = encodeURIComponent('GET /admin/v1/tenants/:tenantId/keys');
    await eventually(() => api<{ data: unknown[] }>('GET', `/admin/v1/tenants/${tenant}/audit?action=${listAction}&limit=10`, { key: admin.secret }), (r) => r.body.data.length === 5, 10_000);
    const page = await eventually(
      () => api<{ data: { action: string; httpStatus: number; keyId: string; userAgent: string; seq: number }[]; next_cursor: string | null }>('GET', `/admin/v1/tenants/${tenant}/audit?action=${encodeURIComponent('GET /admin/v1/tenants/:tenantId/keys')}&limit=3`, { key: admin.secret }),
      (r) => r.body.data.length === 3 && r.body.next_cursor !== null,
      10_000,
    );
    expect(page.body.data[0]).toMatchObject({ httpStatus: 200, keyId: admin.id });
    // The gateway's time to answer, to 0.1 ms.
    for (const record of page.body.data as unknown as { latencyMs: number | null }[]) {
      expect(record.latencyMs).toEqual(expect.any(Number));
      expect(record.latencyMs).toBeGreaterThanOrEqual(0);
      expect(Math.round(record.latencyMs! * 10) / 10).toBe(record.latencyMs);
    }
    const next = await api<{ data: { seq: number }[] }>('GET', `/admin/v1/tenants/${tenant}/audit?action=${encodeURIComponent('GET /admin/v1/tenants/:tenantId/keys')}&limit=3&after=${page.body.next_cursor}`, { key: admin.secret });
    expect(next.body.data.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...next.body.data.map((r) => r.seq))).toBeLessThan(Math.min(...page.body.data.map((r) => r.seq)));

    const jsonl = await api<string>('GET', `/admin/v1/tenants/${tenant}/audit/export?format=jsonl`, { key: admin.secret });
    expect(jsonl.headers.get('content-type')).toContain('ndjson');
    const lines = jsonl.body.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(JSON.parse(lines[0] ?? '{}')).toHaveProperty('hash');
    const csv = await api<string>('GET', `/admin/v1/tenants/${tenant}/audit/export?format=csv`, { key: admin.secret });
    expect(csv.body.split('\n')[0]).toBe('seq,at,eventId,tenantId,keyId,actor,source,action,resource,model,httpStatus,requestId,clientAddress,userAgent,tokens,hash');

    const lastUsed = await eventually(async () => (await api<{ lastUsedAt: string | null }>('GET', `/admin/v1/keys/${admin.id}`, { key: admin.secret })).body.lastUsedAt, (v) => v !== null, 10_000);
    expect(lastUsed).not.toBeNull();
  });

  it('verifies the chain, and detects a tampered record and a deleted one', async () => {
    const tenant = await createTenant();
    const admin = await createKey(tenant, 'tenant_admin');
    await eventually(async () => (await api('GET', `/admin/v1/tenants/${tenant}`, { key: admin.secret })).status, (s) => s === 200, 10_000);
    for (let i = 0; i < 6; i++) await api('GET', `/admin/v1/tenants/${tenant}`, { key: admin.secret });
    const intact = await eventually(
      () => api<{ ok: boolean; checked: number }>('GET', `/admin/v1/tenants/${tenant}/audit/verify`, { key: admin.secret }),
      (r) => r.body.checked >= 8,
      10_000,
    );
    expect(intact.body.ok).toBe(true);

    await db.query(`UPDATE auth.audit_records SET http_status = 500 WHERE chain = $1 AND seq = 3`, [tenant]);
    const tampered = await api<{ ok: boolean; firstBrokenSeq: number; problem: string }>('GET', `/admin/v1/tenants/${tenant}/audit/verify`);
    expect(tampered.body).toMatchObject({ ok: false, firstBrokenSeq: 3 });
    expect(tampered.body.problem).toContain('modified');

    await db.query(`UPDATE auth.audit_records SET http_status = 200 WHERE chain = $1 AND seq = 3`, [tenant]);
    expect((await api<{ ok: boolean }>('GET', `/admin/v1/tenants/${tenant}/audit/verify`)).body.ok).toBe(true);

    await db.query(`DELETE FROM auth.audit_records WHERE chain = $1 AND seq = 5`, [tenant]);
    const deleted = await api<{ ok: boolean; firstBrokenSeq: number; problem: string }>('GET', `/admin/v1/tenants/${tenant}/audit/verify`);
    expect(deleted.body).toMatchObject({ ok: false, firstBrokenSeq: 5 });
    expect(deleted.body.problem).toContain('missing');
  });
});
