import { describeError } from '../api/api-error';
import { type InvoicePreview, type InvoiceSummary, type ListOf } from '../api/types';
import { useAction } from '../app/use-action';
import { useApi } from '../app/use-api';
import { useSession } from '../app/session';
import { ErrorNotice, Loading, StatusLine } from '../components/notices';
import { Kpi, Page, TableWrap } from '../components/page';
import { formatEuros } from '../lib/format';

const formats = [
  { format: 'pdf', label: 'PDF', ext: 'pdf' },
  { format: 'csv', label: 'CSV', ext: 'csv' },
  { format: 'facturx', label: 'Factur-X', ext: 'pdf' },
] as const;

/** Invoices and credit notes of the organisation, with the month so far. */
export function InvoicesView() {
  const { client } = useSession();
  const invoices = useApi<ListOf<InvoiceSummary>>('/v1/billing/invoices');
  const preview = useApi<InvoicePreview>('/v1/billing/invoices/preview');
  const action = useAction();

  return (
    <Page
      title="Invoices"
      intro="Invoices are issued when a month closes (UTC). Corrections are credit notes; an issued invoice never changes."
    >
      <ErrorNotice
        error={invoices.error ?? action.error}
        onRetry={invoices.error ? invoices.reload : undefined}
      />
      <StatusLine message={action.message} />
      {preview.data && (
        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">{preview.data.period} so far (draft, not an invoice)</h2>
          <dl className="kpis">
            <Kpi label="Subtotal" value={formatEuros(preview.data.subtotalEur)} />
            <Kpi label="VAT" value={formatEuros(preview.data.vatEur)} />
            <Kpi label="Total" value={formatEuros(preview.data.totalEur)} />
          </dl>
        </section>
      )}
      {preview.error !== undefined && (
        <p className="fineprint">
          The month so far could not be read: {describeError(preview.error)}
        </p>
      )}
      {invoices.loading && !invoices.data && <Loading what="invoices" />}
      {invoices.data && invoices.data.data.length === 0 && (
        <p className="empty">
          No invoice yet: the first one is issued when a month with usage closes.
        </p>
      )}
      {invoices.data && invoices.data.data.length > 0 && (
        <TableWrap label="Invoices">
          <caption>{invoices.data.data.length} documents</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Period</th>
              <th scope="col">Issued</th>
              <th scope="col">Due</th>
              <th scope="col" className="num">
                Subtotal
              </th>
              <th scope="col" className="num">
                VAT
              </th>
              <th scope="col" className="num">
                Total
              </th>
              <th scope="col">Download</th>
            </tr>
          </thead>
          <tbody>
            {invoices.data.data.map((inv) => {
              const name = inv.number ?? inv.id;
              return (
                <tr key={inv.id} data-invoice-id={inv.id}>
                  <th scope="row">
                    {name}
                    {inv.kind === 'credit_note' && <span className="badge">credit note</span>}
                  </th>
                  <td>{inv.period}</td>
                  <td>{inv.issueDate ?? '—'}</td>
                  <td>{inv.dueDate ?? '—'}</td>
                  <td className="num">{formatEuros(inv.subtotalEur)}</td>
                  <td className="num">{formatEuros(inv.vatEur)}</td>
                  <td className="num">{formatEuros(inv.totalEur)}</td>
                  <td className="row-actions">
                    {formats.map((f) => (
                      <button
                        key={f.format}
                        type="button"
                        aria-label={`Download ${name} as ${f.label}`}
                        disabled={action.pending === `${inv.id}:${f.format}`}
                        onClick={() =>
                          void action.run(
                            `${inv.id}:${f.format}`,
                            () =>
                              client.download(
                                `/v1/billing/invoices/${encodeURIComponent(inv.id)}?format=${f.format}`,
                                `${name}.${f.ext}`,
                              ),
                            (file) => `Downloaded ${file}.`,
                          )
                        }
                      >
                        {f.label}
                      </button>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </TableWrap>
      )}
    </Page>
  );
}
