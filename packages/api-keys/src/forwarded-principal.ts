import { createHmac, timingSafeEqual } from 'node:crypto';

/** Who a forwarded HTTP request is for, as the gateway authenticated it. */
export interface ForwardedIdentity {
  keyId: string;
  tenantId: string;
  role: string;
  models: string[];
}

export const PRINCIPAL_HEADER = 'x-llmaas-principal';
const MAX_AGE_MS = 60_000;

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * The caller's identity for a service behind the gateway, over HTTP (file bodies are too large
 * for a Kafka request): `<base64url JSON>.<issued ms>.<HMAC>`, signed with the secret the gateway
 * and the service share, so nothing else on the service network can speak for a tenant.
 */
export function signIdentity(secret: string, identity: ForwardedIdentity, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify(identity)).toString('base64url');
  const payload = `${body}.${now}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The identity, or null when the header is missing, forged or older than a minute. */
export function verifyIdentity(secret: string, header: string | undefined, now = Date.now()): ForwardedIdentity | null {
  if (!header) return null;
  const parts = header.split('.');
  if (parts.length !== 3) return null;
  const [body, issued, signature] = parts as [string, string, string];
  const expected = Buffer.from(mac(secret, `${body}.${issued}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const age = now - Number(issued);
  if (!Number.isFinite(age) || age > MAX_AGE_MS || age < -MAX_AGE_MS) return null;
  try {
    const identity = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ForwardedIdentity;
    return typeof identity.tenantId === 'string' && typeof identity.keyId === 'string' && Array.isArray(identity.models) ? identity : null;
  } catch {
    return null;
  }
}
