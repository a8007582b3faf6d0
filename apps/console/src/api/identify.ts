import { ApiFailure } from './api-error';
import { type ApiClient } from './api-client';
import { type ListOf, type ModelObject, type Role, type TenantView } from './types';

export interface Identity {
  role: Role;
  /** Known for operators (their tenant is `platform`) and tenant admins; finance and developer keys cannot list tenants. */
  tenantId: string | null;
  tenantName: string | null;
  /** `llm_ab12cd`: how the key list shows this key. */
  keyPrefix: string;
}

/**
 * Who the key is. The API has no "who am I" endpoint, so the console asks what any client may
 * ask and reads the answers: the key is valid if it may list models (every role may); then the
 * first route its role may call, from the most to the least privileged. A 403 is an answer
 * ("not this role"); anything else but a 200 stops here and is shown.
 */
export async function identify(client: ApiClient, key: string): Promise<Identity> {
  await client.get<ListOf<ModelObject>>('/v1/models');
  const keyPrefix = key.slice(0, 10);
  const allowed = async (path: string) => {
    const status = await client.status(path);
    if (status === 200) return true;
    if (status === 403) return false;
    throw new ApiFailure(
      status,
      `The platform answered ${status} while checking what this key may do; try again shortly.`,
    );
  };
  if (await allowed('/admin/v1/alerts?state=firing'))
    return { role: 'operator', tenantId: 'platform', tenantName: 'Platform', keyPrefix };
  try {
    const tenants = await client.get<ListOf<TenantView>>('/admin/v1/tenants');
    const own = tenants.data[0];
    return {
      role: 'tenant_admin',
      tenantId: own?.tenantId ?? null,
      tenantName: own?.name ?? null,
      keyPrefix,
    };
  } catch (error) {
    if (!(error instanceof ApiFailure) || error.status !== 403) throw error;
  }
  const today = new Date().toISOString().slice(0, 10);
  if (await allowed(`/v1/billing/usage?from=${today}&to=${today}&group_by=day`))
    return { role: 'finance', tenantId: null, tenantName: null, keyPrefix };
  return { role: 'developer', tenantId: null, tenantName: null, keyPrefix };
}
