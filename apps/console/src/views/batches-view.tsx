import { type BatchObject, type BatchPage } from '../api/types';
import { useAction } from '../app/use-action';
import { useApi } from '../app/use-api';
import { useSession } from '../app/session';
import { MeterBar } from '../components/meter-bar';
import { ErrorNotice, Loading, StatusLine } from '../components/notices';
import { Page, TableWrap } from '../components/page';
import { formatCount, formatUnix } from '../lib/format';

const running = new Set<BatchObject['status']>([
  'validating',
  'in_progress',
  'finalizing',
  'cancelling',
]);

/** Batches of the organisation: status, progress and their files. */
export function BatchesView() {
  const { client } = useSession();
  // Follows running batches every 5 s; a list of finished ones is not polled.
  const batches = useApi<BatchPage>('/v1/batches?limit=50', (page) =>
    page?.data.some((b) => running.has(b.status)) ? 5000 : undefined,
  );
  const list = batches.data;
  const action = useAction();

  const download = (fileId: string, what: string) =>
    void action.run(
      fileId,
      () => client.download(`/v1/files/${encodeURIComponent(fileId)}/content`, `${fileId}.jsonl`),
      (name) => `Downloaded the ${what} file ${name}.`,
    );

  return (
    <Page
      title="Batches"
      intro="Batch jobs (OpenAI's Batch API), newest first. Files are kept 30 days unless the batch said otherwise."
      tools={
        <button type="button" onClick={batches.reload}>
          Refresh
        </button>
      }
    >
      <ErrorNotice error={batches.error ?? action.error} onRetry={batches.reload} />
      <StatusLine message={action.message} />
      {batches.loading && !list && <Loading what="batches" />}
      {list && list.data.length === 0 && (
        <p className="empty">
          No batches yet. Create one with any OpenAI SDK: files.create(purpose="batch"), then
          batches.create.
        </p>
      )}
      {list && list.data.length > 0 && (
        <TableWrap label="Batches">
          <caption>{list.data.length} latest batches</caption>
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Created</th>
              <th scope="col">Endpoint / model</th>
              <th scope="col">Status</th>
              <th scope="col">Progress</th>
              <th scope="col">Files</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((b) => {
              const c = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
              return (
                <tr key={b.id} data-batch-id={b.id}>
                  <th scope="row">
                    <code>{b.id}</code>
                  </th>
                  <td>{formatUnix(b.created_at)}</td>
                  <td>
                    <code>{b.endpoint}</code>
                    <br />
                    {b.model ?? '—'}
                  </td>
                  <td>
                    <span className={`badge status-${b.status}`}>{b.status.replace('_', ' ')}</span>
                  </td>
                  <td>
                    <MeterBar
                      label={`Progress of ${b.id}`}
                      value={c.completed + c.failed}
                      max={c.total}
                      warnAt={2}
                      text={`${formatCount(c.completed)} done, ${formatCount(c.failed)} failed of ${formatCount(c.total)}`}
                    />
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      onClick={() => download(b.input_file_id, 'input')}
                      disabled={action.pending === b.input_file_id}
                    >
                      Input
                    </button>
                    {b.output_file_id && (
                      <button
                        type="button"
                        onClick={() => download(b.output_file_id!, 'output')}
                        disabled={action.pending === b.output_file_id}
                      >
                        Output
                      </button>
                    )}
                    {b.error_file_id && (
                      <button
                        type="button"
                        onClick={() => download(b.error_file_id!, 'error')}
                        disabled={action.pending === b.error_file_id}
                      >
                        Errors
                      </button>
                    )}
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
