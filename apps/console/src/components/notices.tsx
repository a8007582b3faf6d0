import { describeError } from '../api/api-error';

/** An error in words, announced by screen readers as it appears. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error === undefined || error === null) return null;
  return (
    <div className="notice error" role="alert">
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Polite announcements of what just happened ("Key revoked."). The region stays in the page so readers hear changes. */
export function StatusLine({ message }: { message: string | null }) {
  return (
    <p className="status-line" role="status" aria-live="polite">
      {message}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" aria-busy="true">
      Loading {what}…
    </p>
  );
}
