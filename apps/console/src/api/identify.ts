import { type ApiClient } from './api-client';
import { type MeObject, type Role } from './types';

export interface Identity {
  role: Role;
  keyId: string;
  tenantId: string;
  tenantName: string;
}

/**
 * Who the key is, from `GET /v1/me` (every role may ask): its role and its organisation in one
 * call. A refused key answers 401 and its message is shown on the sign-in form.
 */
export async function identify(client: ApiClient): Promise<Identity> {
  const me = await client.get<MeObject>('/v1/me');
  return { role: me.role, keyId: me.key_id, tenantId: me.tenant.id, tenantName: me.tenant.name };
}
