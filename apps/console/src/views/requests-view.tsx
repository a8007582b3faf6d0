import { useState } from 'react';

import { type AuditPage, type AuditRecord } from '../api/types';
import { useSession } from '../app/session';
import { useApi } from '../app/use-api';
import { ErrorNotice, Loading } from '../components/notices';
import { Page, TableWrap } from '../components/page';
import { formatCount, formatInstant, formatMs } from '../lib/format';

const actions = [
  'POST /v1/chat/completions',
  'POST /v1/completions',
  'POST /v1/embeddings',
  'POST /v1/rerank',
  'POST /v1/audio/transcriptions',
  'POST /v1/batches',
  'POST /v1/files',
];
const PAGE = 50;

/** The request history from the audit trail: who, when, what, how it ended — never prompt text. */
export function RequestsView() {
  const { client, identity } = useSession();
  const [action, setAction] = useState('');
  const base = `/admin/v1/tenants/${encodeURIComponent(identity.tenantId)}/audit?limit=${PAGE}${action ? `&action=${encodeURIComponent(action)}` : ''}`;
  const first = useApi<AuditPage>(base);
  const [more, setMore] = useState<{ base: string; records: AuditRecord[]; cursor: string | null }>(
    { base: '', records: [], cursor: null },
  );
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const extra = more.base === base ? more : { records: [], cursor: null };
  const records = [...(first.data?.data ?? []), ...extra.records];
  const cursor = extra.records.length > 0 ? extra.cursor : (first.data?.next_cursor ?? null);

  const loadMore = () => {
    if (!cursor) return;
    setMoreError(undefined);
    client.get<AuditPage>(`${base}&after=${encodeURIComponent(cursor)}`).then(
      (page) =>
        setMore({ base, records: [...extra.records, ...page.data], cursor: page.next_cursor }),
      (error: unknown) => setMoreError(error),
    );
  };

  return (
    <Page
      title="Request history"
      intro="Every authenticated request of your organisation, from the tamper-evident audit trail. Prompts and completions are never recorded."
      tools={
        <>
          <label>
            Show{' '}
            <select value={action} onChange={(e) => setAction(e.target.value)}>
              <option value="">all requests</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={first.reload}>
            Refresh
          </button>
        </>
      }
    >
      <ErrorNotice error={first.error ?? moreError} onRetry={first.reload} />
      {first.loading && !first.data && <Loading what="the request history" />}
      {first.data && records.length === 0 && (
        <p className="empty">No requests recorded{action ? ` for ${action}` : ''}.</p>
      )}
      {records.length > 0 && (
        <TableWrap label="Request history">
          <caption>Latest first</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col">Model</th>
              <th scope="col" className="num">
                Status
              </th>
              <th scope="col" className="num">
                Tokens
              </th>
              <th scope="col" className="num">
                Latency
              </th>
              <th scope="col">Key</th>
              <th scope="col">Request id</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.seq} className={(r.httpStatus ?? 0) >= 400 ? 'row-error' : undefined}>
                <td>{formatInstant(r.at)}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td>{r.model ?? '—'}</td>
                <td className="num">{r.httpStatus ?? '—'}</td>
                <td className="num">{r.tokens === null ? '—' : formatCount(r.tokens)}</td>
                <td className="num" data-latency-ms={r.latencyMs ?? undefined}>
                  {r.latencyMs === null ? '—' : formatMs(r.latencyMs)}
                </td>
                <td>
                  <code>{r.keyId ?? r.actor}</code>
                </td>
                <td>
                  <code>{r.requestId ?? '—'}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
      {cursor && (
        <p>
          <button type="button" onClick={loadMore}>
            Load {PAGE} more
          </button>
        </p>
      )}
      <p className="fineprint">
        Latency is the gateway's time from receiving a request to sending its last byte (for a
        stream, its whole duration). Requests recorded before it was measured show —.
      </p>
    </Page>
  );
}
