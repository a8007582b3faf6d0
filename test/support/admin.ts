import { Agent, fetch } from 'undici';

import { adminKey, gatewayUrl } from './platform.js';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A call to the gateway with a given key (or none), from a given loopback address. */
export async function api<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: { key?: string | null; body?: unknown; from?: Agent } = {},
): Promise<Reply<T>> {
  const key = options.key === undefined ? adminKey() : options.key;
  const res = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    dispatcher: options.from,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (an export): keep the text
  }
  return { status: res.status, body: body as T, headers: res.headers as unknown as Headers };
}

/** Requests that leave from another loopback address (the gateway sees a different client IP). */
export const fromAddress = (address: string) => new Agent({ localAddress: address });

export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

export async function createTenant(id = uniqueId('t'), extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api('POST', '/admin/v1/tenants', { body: { id, name: `Tenant ${id}`, ...extra } });
  if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return id;
}

export interface CreatedKey {
  id: string;
  secret: string;
}

export async function createKey(tenantId: string, role: string, extra: Record<string, unknown> = {}, by?: string): Promise<CreatedKey> {
  const res = await api<CreatedKey>('POST', `/admin/v1/tenants/${tenantId}/keys`, { key: by, body: { name: `${role} key`, role, ...extra } });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * A developer key is accepted when the gateway gets past authentication. The body is invalid on
 * purpose (no model, no messages): an accepted key gets a 400 at once, without any inference.
 */
export async function accepted(secret: string): Promise<boolean> {
  const res = await api('POST', '/v1/chat/completions', { key: secret, body: { messages: [] } });
  return res.status !== 401 && res.status !== 403 && res.status !== 429;
}
