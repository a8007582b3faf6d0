import { type FleetView as Fleet, type FleetWorker } from '../api/types';
import { useApi } from '../app/use-api';
import { MeterBar } from '../components/meter-bar';
import { ErrorNotice, Loading } from '../components/notices';
import { Kpi, Page } from '../components/page';
import { formatAgo, formatCount, formatInstant, formatMiB } from '../lib/format';

const REFRESH_MS = 2000;

const stateOf = (w: FleetWorker) => (!w.up ? 'down' : w.cordoned ? 'cordoned' : 'up');

function WorkerCard({ worker }: { worker: FleetWorker }) {
  const state = stateOf(worker);
  return (
    <article
      className={`card worker worker-${state}`}
      data-worker={worker.workerId}
      data-state={state}
      aria-labelledby={`w-${worker.workerId}`}
    >
      <header>
        <h2 id={`w-${worker.workerId}`}>{worker.workerId}</h2>
        <span className={`badge state-${state}`}>
          {state === 'down' ? `down (last seen ${formatAgo(worker.lastSeenMsAgo)})` : state}
        </span>
      </header>
      <p className="fineprint">
        {worker.engine} · {worker.endpoint}
      </p>
      {worker.gpus.map((g) => (
        <div key={g.index} className="gpu">
          <span>
            GPU {g.index}: {g.name}
          </span>
          <MeterBar
            label={`VRAM of ${worker.workerId} GPU ${g.index}`}
            value={g.vramUsedMiB}
            max={g.vramTotalMiB}
            text={`${formatMiB(g.vramUsedMiB)} / ${formatMiB(g.vramTotalMiB)}`}
          />
        </div>
      ))}
      <dl className="worker-stats">
        <div>
          <dt>Queue</dt>
          <dd>{formatCount(worker.queueDepth)}</dd>
        </div>
        <div>
          <dt>Running</dt>
          <dd>{formatCount(worker.running)}</dd>
        </div>
        <div>
          <dt>Tokens/s</dt>
          <dd>{formatCount(Math.round(worker.tokensPerSecond))}</dd>
        </div>
      </dl>
      {worker.models.length === 0 ? (
        <p className="fineprint">No model loaded.</p>
      ) : (
        <ul className="models">
          {worker.models.map((m) => (
            <li key={m.model}>
              <strong>{m.model}</strong>{' '}
              <span className="fineprint">
                ({m.state}, {formatMiB(m.vramMiB)}, {m.running} running, {m.waiting} waiting)
              </span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** Every GPU machine as the scheduler sees it from heartbeats, refreshed every 2 s. */
export function FleetView() {
  const fleet = useApi<Fleet>('/admin/v1/fleet', REFRESH_MS);
  const workers =
    fleet.data?.workers
      .slice()
      .sort((a, b) => a.workerId.localeCompare(b.workerId, 'en', { numeric: true })) ?? [];
  const up = workers.filter((w) => w.up).length;
  const used = workers.reduce((s, w) => s + w.gpus.reduce((g, x) => g + x.vramUsedMiB, 0), 0);
  const total = workers.reduce((s, w) => s + w.gpus.reduce((g, x) => g + x.vramTotalMiB, 0), 0);

  return (
    <Page
      title="Fleet"
      intro={
        fleet.at
          ? `As of ${formatInstant(fleet.at.toISOString())}, refreshed every 2 s.`
          : undefined
      }
    >
      <ErrorNotice error={fleet.error} onRetry={fleet.reload} />
      {!fleet.data && fleet.loading && <Loading what="the fleet" />}
      {fleet.data && (
        <>
          <dl className="kpis" aria-label="Fleet totals">
            <Kpi label="Workers up" value={`${up} / ${workers.length}`} />
            <Kpi
              label="Queued requests"
              value={formatCount(workers.reduce((s, w) => s + w.queueDepth, 0))}
            />
            <Kpi
              label="Loaded models"
              value={formatCount(workers.reduce((s, w) => s + w.models.length, 0))}
            />
            <Kpi label="VRAM in use" value={`${formatMiB(used)} / ${formatMiB(total)}`} />
          </dl>
          <p className="visually-hidden" role="status" aria-live="polite">
            {up === workers.length
              ? 'All workers are up.'
              : `${workers.length - up} of ${workers.length} workers are down.`}
          </p>
          {workers.length === 0 && <p className="empty">No worker has sent a heartbeat yet.</p>}
          <div className="worker-grid">
            {workers.map((w) => (
              <WorkerCard key={w.workerId} worker={w} />
            ))}
          </div>
        </>
      )}
    </Page>
  );
}
