import { type ListOf, type ModelObject } from '../api/types';
import { useApi } from '../app/use-api';
import { ErrorNotice, Loading } from '../components/notices';
import { Page, TableWrap } from '../components/page';

/** A phase as a badge; the notice phase is the one people must act on. */
export function PhaseBadge({ phase }: { phase: string }) {
  const label =
    (
      {
        evaluation: 'evaluation',
        production: 'production',
        notice: 'end of support announced',
        removed: 'removed',
      } as Record<string, string>
    )[phase] ?? phase;
  return <span className={`badge phase-${phase}`}>{label}</span>;
}

/** The models this key may call, with their lifecycle dates and what to migrate to. */
export function CatalogView() {
  const models = useApi<ListOf<ModelObject>>('/v1/models');
  const notices =
    models.data?.data
      .filter((m) => m.phase === 'notice')
      .sort((a, b) => (a.end_of_support_date ?? '').localeCompare(b.end_of_support_date ?? '')) ??
    [];

  return (
    <Page
      title="Models"
      intro={
        <>
          The models your key may use today, with their lifecycle. Every public date is also on the{' '}
          <a href="/status/lifecycle">lifecycle page</a>.
        </>
      }
    >
      <ErrorNotice error={models.error} onRetry={models.reload} />
      {models.loading && !models.data && <Loading what="the catalog" />}
      {notices.length > 0 && (
        <section className="notice warn" aria-labelledby="notices-title">
          <h2 id="notices-title">Notices</h2>
          <ul>
            {notices.map((m) => (
              <li key={m.id}>
                <strong>{m.id}</strong> is supported until {m.end_of_support_date}; calls after that
                date are refused
                {m.recommended_migration ? (
                  <>
                    . Move to <strong>{m.recommended_migration}</strong>.
                  </>
                ) : (
                  '.'
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {models.data && (
        <TableWrap label="Model catalog">
          <caption>{models.data.data.length} models</caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Kind</th>
              <th scope="col">Publisher</th>
              <th scope="col">Phase</th>
              <th scope="col">In production since</th>
              <th scope="col">End of support</th>
              <th scope="col">Migration</th>
              <th scope="col" className="num">
                Context
              </th>
            </tr>
          </thead>
          <tbody>
            {models.data.data.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  {m.id}
                  {m.lts && <span className="badge">LTS</span>}
                  {m.stability !== 'stable' && <span className="badge">{m.stability}</span>}
                </th>
                <td>{m.kind}</td>
                <td>{m.owned_by}</td>
                <td>
                  <PhaseBadge phase={m.phase} />
                </td>
                <td>{m.production_date ?? '—'}</td>
                <td>{m.end_of_support_date ?? 'none announced'}</td>
                <td>{m.recommended_migration ?? '—'}</td>
                <td className="num">{m.context_length.toLocaleString('en')}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
    </Page>
  );
}
