import { useEffect, useMemo, useState } from 'react';

import { type AuditPage, type AuditRecord } from '../api/types';
import { useSession } from '../app/session';
import { LineChart } from '../components/line-chart';
import { ErrorNotice, Loading } from '../components/notices';
import { Kpi, Page } from '../components/page';
import { formatCompact, formatCount, formatInstant, formatMs } from '../lib/format';
import { latencyPerMinute, percentile } from '../lib/latency';
import { isInferenceAction, throughputPerMinute } from '../lib/throughput';

const MAX_PAGES = 5;
const minuteOf = (iso: string) => iso.slice(11, 16);

/**
 * Throughput and latency of the last hour, per minute, read from the tenant's audit trail (one
 * record per request, with status, tokens and the gateway's latency); percentiles are computed here.
 */
export function PerformanceView() {
  const { client, identity } = useSession();
  const [nonce, setNonce] = useState(0);
  const [result, setResult] = useState<{
    nonce: number;
    records?: AuditRecord[];
    truncated?: boolean;
    error?: unknown;
    at?: Date;
  }>({ nonce: -1 });

  useEffect(() => {
    let live = true;
    const since = new Date(Date.now() - 60 * 60_000).toISOString();
    const base = `/admin/v1/tenants/${encodeURIComponent(identity.tenantId ?? '')}/audit?limit=1000&from=${encodeURIComponent(since)}`;
    const load = async () => {
      const records: AuditRecord[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res: AuditPage = await client.get<AuditPage>(
          cursor ? `${base}&after=${encodeURIComponent(cursor)}` : base,
        );
        records.push(...res.data);
        cursor = res.next_cursor;
        if (!res.has_more || !cursor) return { records, truncated: false };
      }
      return { records, truncated: true };
    };
    load().then(
      (r) => live && setResult({ nonce, ...r, at: new Date() }),
      (error: unknown) => live && setResult((prev) => ({ ...prev, nonce, error })),
    );
    const timer = window.setTimeout(() => setNonce((n) => n + 1), 30_000);
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [client, identity.tenantId, nonce]);

  const buckets = useMemo(
    () => (result.records && result.at ? throughputPerMinute(result.records, result.at) : null),
    [result.records, result.at],
  );
  const latency = useMemo(
    () => (result.records && result.at ? latencyPerMinute(result.records, result.at) : null),
    [result.records, result.at],
  );
  const labels = buckets?.map((b) => b.minute) ?? [];
  const requests = buckets?.reduce((s, b) => s + b.requests, 0) ?? 0;
  const errors = buckets?.reduce((s, b) => s + b.errors, 0) ?? 0;
  const inference = result.records?.filter((r) => isInferenceAction(r.action)) ?? [];
  const oldest = result.records?.at(-1)?.at;
  const timed = inference.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs]));
  const hourP95 = percentile(timed, 95);

  return (
    <Page
      title="Performance"
      intro="Requests, tokens and errors per minute over the last hour, from your audit trail (refreshed every 30 s)."
      tools={
        <button type="button" onClick={() => setNonce((n) => n + 1)}>
          Refresh
        </button>
      }
    >
      <ErrorNotice error={result.error} onRetry={() => setNonce((n) => n + 1)} />
      {!buckets && !result.error && <Loading what="the last hour" />}
      {buckets && (
        <>
          <dl className="kpis" aria-label="Last hour">
            <Kpi label="Requests (last hour)" value={formatCount(requests)} />
            <Kpi
              label="Tokens (last hour)"
              value={formatCount(buckets.reduce((s, b) => s + b.tokens, 0))}
            />
            <Kpi
              label="Error rate"
              value={requests ? `${((errors / requests) * 100).toFixed(1)} %` : '—'}
            />
            <Kpi
              label="Peak requests / min"
              value={formatCount(Math.max(0, ...buckets.map((b) => b.requests)))}
            />
            <Kpi
              label="Latency p95 (last hour)"
              value={hourP95 === null ? '—' : formatMs(hourP95)}
            />
          </dl>
          {result.truncated && (
            <p className="notice">
              Busy hour: only the latest {formatCount(result.records?.length ?? 0)} records (since{' '}
              {formatInstant(oldest)}) are counted; earlier minutes read low.
            </p>
          )}
          {inference.length === 0 && (
            <p className="empty">No inference requests in the last hour.</p>
          )}
          <div className="charts">
            <LineChart
              title="Requests per minute"
              labels={labels}
              series={[
                { name: 'Requests', values: buckets.map((b) => b.requests) },
                { name: 'Errors (HTTP ≥ 400)', values: buckets.map((b) => b.errors) },
              ]}
              format={formatCompact}
              tick={minuteOf}
            />
            <LineChart
              title="Tokens per minute (throughput)"
              labels={labels}
              series={[{ name: 'Tokens', values: buckets.map((b) => b.tokens) }]}
              format={formatCompact}
              tick={minuteOf}
            />
            {latency && (
              <LineChart
                title="Latency per minute (p50, p95)"
                labels={labels}
                series={[
                  { name: 'p50', values: latency.map((b) => b.p50) },
                  { name: 'p95', values: latency.map((b) => b.p95) },
                ]}
                format={formatMs}
                tick={minuteOf}
                totals={false}
              />
            )}
          </div>
          <p className="fineprint">
            Latency: the gateway's time from receiving an inference request to sending its last byte
            (for a stream, its whole duration), as recorded in the audit trail.
          </p>
        </>
      )}
    </Page>
  );
}
