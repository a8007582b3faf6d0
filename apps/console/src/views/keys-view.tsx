import { useState } from 'react';

import { type KeyView, type KeyWithSecret, type ListOf, type Role } from '../api/types';
import { useAction } from '../app/use-action';
import { useApi } from '../app/use-api';
import { useSession } from '../app/session';
import { ConfirmDialog } from '../components/confirm-dialog';
import { ErrorNotice, Loading, StatusLine } from '../components/notices';
import { Page, TableWrap } from '../components/page';
import { SecretOnce } from '../components/secret-once';
import { formatInstant, roleLabel } from '../lib/format';

const creatable: Role[] = ['developer', 'finance', 'tenant_admin'];

type Pending = { kind: 'rotate' | 'revoke'; key: KeyView } | null;

const expired = (k: KeyView, now: number) => k.expiresAt !== null && Date.parse(k.expiresAt) <= now;

function keyState(k: KeyView, now: number): string {
  if (k.revokedAt) return 'Revoked';
  if (expired(k, now)) return 'Expired';
  if (k.expiresAt && k.successorId) return `Rotated: valid until ${formatInstant(k.expiresAt)}`;
  if (k.expiresAt) return `Expires ${formatInstant(k.expiresAt)}`;
  return 'Active';
}

/** The organisation's keys: create, rotate (the successor's secret shown once), revoke. */
export function KeysView() {
  const { client, identity } = useSession();
  const tenant = encodeURIComponent(identity.tenantId);
  const keys = useApi<ListOf<KeyView>>(`/admin/v1/tenants/${tenant}/keys`);
  const action = useAction();
  const [secret, setSecret] = useState<{ label: string; secret: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [overlap, setOverlap] = useState(24);
  const [form, setForm] = useState({ name: '', role: 'developer' as Role, models: '' });
  // Expiry is judged at the time the list was read, so rendering stays pure.
  const now = keys.at?.getTime() ?? 0;

  const create = async () => {
    const models = form.models
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    const created = await action.run(
      'create',
      () =>
        client.post<KeyWithSecret>(`/admin/v1/tenants/${tenant}/keys`, {
          name: form.name.trim(),
          role: form.role,
          models,
        }),
      (k) => `Key “${k.name}” created.`,
    );
    if (created) {
      setSecret({ label: `Secret of the new key “${created.name}”`, secret: created.secret });
      setForm({ name: '', role: 'developer', models: '' });
      keys.reload();
    }
  };

  const confirm = async () => {
    if (!pending) return;
    const { kind, key } = pending;
    if (kind === 'rotate') {
      const successor = await action.run(
        'rotate',
        () =>
          client.post<KeyWithSecret>(`/admin/v1/keys/${encodeURIComponent(key.id)}/rotate`, {
            overlap_hours: overlap,
          }),
        () =>
          `Key “${key.name}” rotated; ${overlap > 0 ? `the old secret keeps working for ${overlap} hours` : 'the old secret no longer works'}.`,
      );
      if (successor)
        setSecret({
          label: `Secret of “${successor.name}”, the successor of ${key.displayPrefix}…`,
          secret: successor.secret,
        });
    } else {
      await action.run(
        'revoke',
        () => client.post<KeyView>(`/admin/v1/keys/${encodeURIComponent(key.id)}/revoke`),
        () => `Key “${key.name}” revoked.`,
      );
    }
    setPending(null);
    keys.reload();
  };

  const fetchSealed = async (key: KeyView) => {
    const successor = await action.run(
      'secret',
      () => client.post<KeyWithSecret>(`/admin/v1/keys/${encodeURIComponent(key.id)}/secret`),
      () => 'Secret of the automatic successor fetched.',
    );
    if (successor)
      setSecret({
        label: `Secret of “${successor.name}”, automatic successor of ${key.displayPrefix}…`,
        secret: successor.secret,
      });
    keys.reload();
  };

  return (
    <Page
      title="API keys"
      intro="Keys of your organisation. A secret is shown once, when a key is created or rotated; the platform keeps only its hash."
    >
      <ErrorNotice
        error={keys.error ?? action.error}
        onRetry={keys.error ? keys.reload : undefined}
      />
      <StatusLine message={action.message} />
      {secret && (
        <SecretOnce label={secret.label} secret={secret.secret} onDone={() => setSecret(null)} />
      )}

      <form
        className="card form-grid"
        aria-labelledby="create-title"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h2 id="create-title">Create a key</h2>
        <label>
          Name
          <input
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            required
            maxLength={100}
            placeholder="ci-pipeline"
          />
        </label>
        <label>
          Role
          <select
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
          >
            {creatable.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Models (optional)
          <input
            value={form.models}
            onChange={(e) => setForm({ ...form, models: e.target.value })}
            placeholder="qwen3*, bge-m3:567m"
            aria-describedby="models-help"
          />
        </label>
        <p id="models-help" className="fineprint">
          Comma-separated model ids or patterns ending with *; empty lets the key use every model
          your organisation may use.
        </p>
        <button type="submit" className="primary" disabled={action.pending === 'create'}>
          {action.pending === 'create' ? 'Creating…' : 'Create key'}
        </button>
      </form>

      {keys.loading && !keys.data && <Loading what="keys" />}
      {keys.data && (
        <TableWrap label="API keys">
          <caption>{keys.data.data.length} keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Role</th>
              <th scope="col">Models</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.data.map((k) => {
              const usable = !k.revokedAt && !expired(k, now);
              return (
                <tr key={k.id} data-key-id={k.id} data-key-name={k.name}>
                  <th scope="row">
                    {k.name}
                    {k.id === identity.keyId && <span className="badge">this key</span>}
                  </th>
                  <td>
                    <code>
                      {k.displayPrefix}…{k.last4 ?? ''}
                    </code>
                  </td>
                  <td>{roleLabel(k.role)}</td>
                  <td>{k.models.length ? k.models.join(', ') : 'all'}</td>
                  <td>{formatInstant(k.createdAt)}</td>
                  <td>{formatInstant(k.lastUsedAt)}</td>
                  <td>{keyState(k, now)}</td>
                  <td className="row-actions">
                    {k.successorSecretPending && (
                      <button type="button" onClick={() => void fetchSealed(k)}>
                        Show successor's secret
                      </button>
                    )}
                    {usable && !k.successorId && (
                      <button
                        type="button"
                        onClick={() => setPending({ kind: 'rotate', key: k })}
                        aria-label={`Rotate ${k.name}`}
                      >
                        Rotate
                      </button>
                    )}
                    {!k.revokedAt && (
                      <button
                        type="button"
                        className="danger"
                        onClick={() => setPending({ kind: 'revoke', key: k })}
                        aria-label={`Revoke ${k.name}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </TableWrap>
      )}

      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'rotate'
            ? `Rotate “${pending.key.name}”?`
            : `Revoke “${pending?.key.name ?? ''}”?`
        }
        confirmLabel={pending?.kind === 'rotate' ? 'Rotate' : 'Revoke'}
        danger={pending?.kind === 'revoke'}
        busy={action.pending === 'rotate' || action.pending === 'revoke'}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        {pending?.kind === 'rotate' ? (
          <>
            <p>
              A successor key with the same role and models is created; its secret is shown once.
              The current secret keeps working during the overlap.
            </p>
            <label>
              Overlap (hours)
              <input
                type="number"
                min={0}
                max={720}
                value={overlap}
                onChange={(e) => setOverlap(Math.max(0, Math.min(720, Number(e.target.value))))}
              />
            </label>
          </>
        ) : (
          <p>
            Every request with this key is refused from now on, on every gateway. This cannot be
            undone.
          </p>
        )}
      </ConfirmDialog>
    </Page>
  );
}
