import { useState } from 'react';

import { type ListOf, type TenantView } from '../api/types';
import { useApi } from '../app/use-api';
import { ErrorNotice, Loading } from '../components/notices';
import { FilterBox, Page, TableWrap } from '../components/page';
import { formatInstant } from '../lib/format';

/** Every tenant of the platform (operators). */
export function TenantsView() {
  const tenants = useApi<ListOf<TenantView>>('/admin/v1/tenants');
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown =
    tenants.data?.data.filter(
      (t) => !needle || t.tenantId.includes(needle) || t.name.toLowerCase().includes(needle),
    ) ?? [];

  return (
    <Page
      title="Tenants"
      tools={<FilterBox value={filter} onChange={setFilter} placeholder="id or name" />}
    >
      <ErrorNotice error={tenants.error} onRetry={tenants.reload} />
      {tenants.loading && !tenants.data && <Loading what="tenants" />}
      {tenants.data && (
        <TableWrap label="Tenants">
          <caption>
            {shown.length} of {tenants.data.data.length} tenants
          </caption>
          <thead>
            <tr>
              <th scope="col">Tenant</th>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Tier</th>
              <th scope="col">Beta</th>
              <th scope="col">Models</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <tr key={t.tenantId}>
                <th scope="row">
                  <code>{t.tenantId}</code>
                </th>
                <td>{t.name}</td>
                <td>
                  <span className={`badge tenant-${t.status}`}>{t.status}</span>
                </td>
                <td>{t.tier}</td>
                <td>{t.betaOptIn ? 'yes' : 'no'}</td>
                <td>{t.models.length ? t.models.join(', ') : 'all'}</td>
                <td>{formatInstant(t.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
    </Page>
  );
}
