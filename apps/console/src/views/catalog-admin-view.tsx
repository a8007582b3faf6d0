import { useState } from 'react';

import { type AdminModel, type ListOf } from '../api/types';
import { useAction } from '../app/use-action';
import { useApi } from '../app/use-api';
import { useSession } from '../app/session';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorNotice, Loading, StatusLine } from '../components/notices';
import { FilterBox, Page, TableWrap } from '../components/page';
import { formatMiB, isoDay } from '../lib/format';
import { PhaseBadge } from './catalog-view';

type Change =
  | { kind: 'promote'; model: AdminModel; date: string }
  | { kind: 'deprecate'; model: AdminModel; date: string; migration: string };

/** The whole catalog for operators: promote a model in evaluation, announce an end of support. */
export function CatalogAdminView() {
  const { client } = useSession();
  const models = useApi<ListOf<AdminModel>>('/admin/v1/models');
  const action = useAction();
  const [change, setChange] = useState<Change | null>(null);
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const list =
    models.data?.data.filter(
      (m) =>
        !needle ||
        m.id.toLowerCase().includes(needle) ||
        m.kind.includes(needle) ||
        m.phase.includes(needle),
    ) ?? [];
  const served =
    models.data?.data.filter((m) => m.phase === 'production' || m.phase === 'notice') ?? [];

  const apply = async () => {
    if (!change) return;
    const id = encodeURIComponent(change.model.id);
    const ok =
      change.kind === 'promote'
        ? await action.run(
            'change',
            () => client.post(`/admin/v1/models/${id}/promote`, { productionDate: change.date }),
            () => `${change.model.id} is in production from ${change.date}.`,
          )
        : await action.run(
            'change',
            () =>
              client.post(`/admin/v1/models/${id}/deprecate`, {
                endOfSupportDate: change.date,
                recommendedMigration: change.migration || null,
              }),
            () => `${change.model.id} is supported until ${change.date}.`,
          );
    if (ok !== undefined) {
      setChange(null);
      models.reload();
    }
  };

  return (
    <Page
      title="Catalog administration"
      intro="Every model, removed ones included. Promotion sets the production date; deprecation sets the end of support (at least three months ahead for a model that has been in production)."
      tools={<FilterBox value={filter} onChange={setFilter} placeholder="id, kind or phase" />}
    >
      <ErrorNotice
        error={models.error ?? (change ? undefined : action.error)}
        onRetry={models.error ? models.reload : undefined}
      />
      <StatusLine message={action.message} />
      {models.loading && !models.data && <Loading what="the catalog" />}
      {models.data && (
        <TableWrap label="Catalog">
          <caption>
            {list.length} of {models.data.data.length} models
          </caption>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Kind</th>
              <th scope="col">Phase</th>
              <th scope="col">Production</th>
              <th scope="col">End of support</th>
              <th scope="col">Migration</th>
              <th scope="col" className="num">
                VRAM
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  {m.id}
                  {m.lts && <span className="badge">LTS</span>}
                  {m.stability !== 'stable' && <span className="badge">{m.stability}</span>}
                </th>
                <td>{m.kind}</td>
                <td>
                  <PhaseBadge phase={m.phase} />
                  {m.withdrawnReason && (
                    <span className="fineprint"> withdrawn: {m.withdrawnReason}</span>
                  )}
                </td>
                <td>{m.productionDate ?? '—'}</td>
                <td>{m.endOfSupportDate ?? '—'}</td>
                <td>{m.recommendedMigration ?? '—'}</td>
                <td className="num">{formatMiB(m.vramMiB)}</td>
                <td className="row-actions">
                  {m.phase === 'evaluation' && (
                    <button
                      type="button"
                      aria-label={`Promote ${m.id}`}
                      onClick={() => (
                        action.clearError(),
                        setChange({ kind: 'promote', model: m, date: isoDay(new Date()) })
                      )}
                    >
                      Promote
                    </button>
                  )}
                  {m.phase !== 'removed' && (
                    <button
                      type="button"
                      aria-label={`Deprecate ${m.id}`}
                      onClick={() => (
                        action.clearError(),
                        setChange({
                          kind: 'deprecate',
                          model: m,
                          date: m.endOfSupportDate ?? isoDay(new Date(), -92),
                          migration: m.recommendedMigration ?? '',
                        })
                      )}
                    >
                      Deprecate
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      )}
      <ConfirmDialog
        open={change !== null}
        title={
          change?.kind === 'promote'
            ? `Promote ${change.model.id}`
            : `Deprecate ${change?.model.id ?? ''}`
        }
        confirmLabel={change?.kind === 'promote' ? 'Promote' : 'Set end of support'}
        danger={change?.kind === 'deprecate'}
        busy={action.pending === 'change'}
        onConfirm={() => void apply()}
        onCancel={() => setChange(null)}
      >
        <ErrorNotice error={change ? action.error : undefined} />
        {change && (
          <label>
            {change.kind === 'promote' ? 'In production from' : 'End of support'}
            <input
              type="date"
              value={change.date}
              onChange={(e) => setChange({ ...change, date: e.target.value })}
              required
            />
          </label>
        )}
        {change?.kind === 'deprecate' && (
          <label>
            Recommended migration
            <select
              value={change.migration}
              onChange={(e) => setChange({ ...change, migration: e.target.value })}
            >
              <option value="">none</option>
              {served
                .filter((m) => m.id !== change.model.id && m.kind === change.model.kind)
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                  </option>
                ))}
            </select>
          </label>
        )}
      </ConfirmDialog>
    </Page>
  );
}
