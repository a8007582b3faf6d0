import { useMemo, useState } from 'react';

import { type ListOf, type UsageRow } from '../api/types';
import { useAction } from '../app/use-action';
import { useApi } from '../app/use-api';
import { useSession } from '../app/session';
import { BarChart } from '../components/bar-chart';
import { LineChart } from '../components/line-chart';
import { ErrorNotice, Loading, StatusLine } from '../components/notices';
import { Kpi, Page, TableWrap } from '../components/page';
import { unitsToFixed, unitsToNumber } from '../lib/decimal';
import { formatCompact, formatCount, formatEuros, isoDay } from '../lib/format';
import { summarizeUsage } from '../lib/usage-series';

const shortDay = (day: string) => day.slice(5);

/** Usage per model over time: tokens, requests and cost from the billing ledger's daily aggregates. */
export function UsageView() {
  const { client } = useSession();
  const [range, setRange] = useState(() => ({
    from: isoDay(new Date(), 13),
    to: isoDay(new Date()),
  }));
  const [draft, setDraft] = useState(range);
  const query = `from=${range.from}&to=${range.to}`;
  const usage = useApi<ListOf<UsageRow>>(`/v1/billing/usage?${query}&group_by=day,model,item,mode`);
  const summary = useMemo(
    () => (usage.data ? summarizeUsage(usage.data.data, range.from, range.to) : null),
    [usage.data, range],
  );
  const action = useAction();

  const rangeError = draft.from > draft.to ? 'The start date is after the end date.' : null;

  return (
    <Page
      title="Usage"
      intro="Tokens, requests and cost per model and day, from the billing ledger (UTC days; today's figures grow as requests are metered)."
      tools={
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!rangeError) setRange(draft);
          }}
        >
          <label>
            From{' '}
            <input
              type="date"
              value={draft.from}
              max={draft.to}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
              required
            />
          </label>
          <label>
            To{' '}
            <input
              type="date"
              value={draft.to}
              min={draft.from}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
              required
            />
          </label>
          <button type="submit" disabled={rangeError !== null}>
            Show
          </button>
          <button
            type="button"
            disabled={action.pending !== null}
            onClick={() =>
              void action.run(
                'csv',
                () =>
                  client.download(
                    `/v1/billing/usage?${query}&group_by=day,model&format=csv`,
                    `usage-${range.from}-${range.to}.csv`,
                  ),
                (name) => `Downloaded ${name}.`,
              )
            }
          >
            Download CSV
          </button>
        </form>
      }
    >
      {rangeError && (
        <p className="notice error" role="alert">
          {rangeError}
        </p>
      )}
      <ErrorNotice
        error={usage.error ?? action.error}
        onRetry={usage.error ? usage.reload : undefined}
      />
      <StatusLine message={action.message} />
      {!summary && usage.loading && <Loading what="usage" />}
      {summary && (
        <>
          <dl className="kpis" aria-label="Totals for the period">
            <Kpi label="Tokens" value={formatCount(summary.total.tokens)} />
            <Kpi label="Requests" value={formatCount(summary.total.requests)} />
            <Kpi
              label="Cost (excl. VAT)"
              value={formatEuros(unitsToFixed(summary.total.costUnits, 4))}
            />
          </dl>
          {summary.models.length === 0 ? (
            <p className="empty">
              No usage between {range.from} and {range.to}.
            </p>
          ) : (
            <>
              <div className="charts">
                <LineChart
                  title="Tokens per day, by model"
                  labels={summary.days}
                  series={summary.tokenSeries}
                  format={formatCompact}
                  tick={shortDay}
                />
                <BarChart
                  title="Requests per day"
                  labels={summary.days}
                  values={summary.perDay.map((d) => d.requests)}
                  format={formatCompact}
                  tick={shortDay}
                />
                <BarChart
                  title="Cost per day (€, excl. VAT)"
                  labels={summary.days}
                  values={summary.perDay.map((d) => unitsToNumber(d.costUnits))}
                  format={(n) => formatEuros(n)}
                  tick={shortDay}
                />
              </div>
              <TableWrap label="Usage per model">
                <caption>
                  Per model, {range.from} to {range.to}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col" className="num">
                      Requests
                    </th>
                    <th scope="col" className="num">
                      Input tokens
                    </th>
                    <th scope="col" className="num">
                      Output tokens
                    </th>
                    <th scope="col" className="num">
                      Cost
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {summary.models.map((m) => (
                    <tr key={m.model} data-model={m.model}>
                      <th scope="row">{m.model}</th>
                      <td className="num">{formatCount(m.requests)}</td>
                      <td className="num">{formatCount(m.inputTokens)}</td>
                      <td className="num">{formatCount(m.outputTokens)}</td>
                      <td className="num">{formatEuros(unitsToFixed(m.costUnits, 4))}</td>
                    </tr>
                  ))}
                </tbody>
              </TableWrap>
            </>
          )}
        </>
      )}
    </Page>
  );
}
