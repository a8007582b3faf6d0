import { useState } from 'react';

import { type ListOf, type PlatformAlert } from '../api/types';
import { useApi } from '../app/use-api';
import { ErrorNotice, Loading } from '../components/notices';
import { Page, TableWrap } from '../components/page';
import { formatInstant } from '../lib/format';

/** Alerts from the platform's Alertmanager, firing first (refreshed every 10 s). */
export function AlertsView() {
  const [all, setAll] = useState(false);
  const alerts = useApi<ListOf<PlatformAlert>>(
    `/admin/v1/alerts?state=${all ? 'all' : 'firing'}`,
    10_000,
  );
  const list = alerts.data?.data ?? [];

  return (
    <Page
      title="Alerts"
      tools={
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show
          resolved alerts
        </label>
      }
    >
      <ErrorNotice error={alerts.error} onRetry={alerts.reload} />
      {alerts.loading && !alerts.data && <Loading what="alerts" />}
      {alerts.data && list.length === 0 && (
        <p className="empty">{all ? 'No alert has been received.' : 'No alert is firing.'}</p>
      )}
      {list.length > 0 && (
        <TableWrap label="Alerts">
          <caption>{list.length} alerts</caption>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Alert</th>
              <th scope="col">Severity</th>
              <th scope="col">Summary</th>
              <th scope="col">Since</th>
              <th scope="col">Ended</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.fingerprint} className={a.status === 'firing' ? 'row-error' : undefined}>
                <td>
                  <span className={`badge alert-${a.status}`}>{a.status}</span>
                </td>
                <th scope="row">{a.alertname}</th>
                <td>{a.severity ?? '—'}</td>
                <td>
                  {a.annotations.summary ??
                    a.annotations.description ??
                    Object.entries(a.labels)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(', ')}
                </td>
                <td>{formatInstant(a.startsAt)}</td>
                <td>{formatInstant(a.endsAt)}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
    </Page>
  );
}
