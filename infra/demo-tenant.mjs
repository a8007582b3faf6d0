// Creates the demo tenant and its keys through the platform's own admin API (idempotent), and
// writes .data/demo.env so any OpenAI SDK works unchanged:  set -a; source .data/demo.env
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const envFile = join(root, '.data', 'demo.env');
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:8080';
const operatorKey = process.env.LLMAAS_ADMIN_KEY;
if (!operatorKey) {
  console.error('missing required environment variable LLMAAS_ADMIN_KEY (the operator key, from .data/secrets.env)');
  process.exit(1);
}

async function call(method, path, key, body) {
  const res = await fetch(`${gateway}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A key still works if the gateway does not refuse it as unknown, revoked or expired. */
async function stillValid(key) {
  if (!key) return false;
  const { status } = await call('GET', '/v1/models', key);
  return status !== 401;
}

function readEnv() {
  if (!existsSync(envFile)) return {};
  return Object.fromEntries(readFileSync(envFile, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

// Auth registers the operator key at its first start; the gateway learns it from auth.keys a
// moment later. Wait for that rather than fail on a fresh machine.
for (let i = 0; ; i++) {
  const { status } = await call('GET', '/admin/v1/tenants/demo', operatorKey);
  if (status !== 401 && status !== 503) break;
  if (i >= 120) throw new Error(`the gateway does not accept the operator key (status ${status}); see .data/logs/auth.log`);
  await new Promise((resolve) => setTimeout(resolve, 250));
}

// A demo tenant from before tiers were enforced moves to the enterprise tier.
const before = await call('GET', '/admin/v1/tenants/demo', operatorKey);
if (before.status === 200 && before.body.tier !== 'enterprise') {
  const patched = await call('PATCH', '/admin/v1/tenants/demo', operatorKey, { tier: 'enterprise' });
  if (patched.status !== 200) throw new Error(`moving the demo tenant to the enterprise tier failed: ${patched.status} ${JSON.stringify(patched.body)}`);
}

const existing = readEnv();
if ((await stillValid(existing.OPENAI_API_KEY)) && (await stillValid(existing.LLMAAS_FINANCE_KEY)) && existing.LLMAAS_ADMIN_KEY === operatorKey) {
  console.log(`  demo: tenant "demo" and its keys already in ${envFile}`);
  process.exit(0);
}

const tenant = await call('GET', '/admin/v1/tenants/demo', operatorKey);
if (tenant.status === 404) {
  const created = await call('POST', '/admin/v1/tenants', operatorKey, {
    id: 'demo',
    name: 'Demo tenant',
    // The benchmarks run as this tenant: the enterprise tier's limits, not the standard 3,000 requests a minute.
    tier: 'enterprise',
    legal: { legalName: 'Demo SAS', addressLine: '10 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR', vatNumber: 'FR40303265045' },
    contactEmails: ['ops@demo.example'],
  });
  if (created.status !== 201) throw new Error(`creating the demo tenant failed: ${created.status} ${JSON.stringify(created.body)}`);
} else if (tenant.status !== 200) {
  throw new Error(`reading the demo tenant failed: ${tenant.status} ${JSON.stringify(tenant.body)}`);
}

async function newKey(name, role) {
  const res = await call('POST', '/admin/v1/tenants/demo/keys', operatorKey, { name, role });
  if (res.status !== 201) throw new Error(`creating the ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.secret;
}

const developer = await newKey('demo developer', 'developer');
const finance = await newKey('demo finance', 'finance');
const admin = await newKey('demo tenant admin', 'tenant_admin');
writeFileSync(
  envFile,
  [
    `OPENAI_BASE_URL=${gateway}/v1`,
    `OPENAI_API_KEY=${developer}`,
    `LLMAAS_ADMIN_KEY=${operatorKey}`,
    `LLMAAS_FINANCE_KEY=${finance}`,
    `LLMAAS_TENANT_ADMIN_KEY=${admin}`,
    '',
  ].join('\n'),
  { mode: 0o600 },
);
console.log(`  demo: tenant "demo" with keys written to ${envFile}`);
console.log(`    OPENAI_API_KEY (developer)          ${developer}`);
console.log(`    LLMAAS_FINANCE_KEY (finance)        ${finance}`);
console.log(`    LLMAAS_TENANT_ADMIN_KEY (tenant admin) ${admin}`);
console.log(`    LLMAAS_ADMIN_KEY (platform operator) ${operatorKey}`);
