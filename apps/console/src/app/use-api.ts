import { useCallback, useEffect, useState } from 'react';

import { useSession } from './session';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** When the data shown was fetched. */
  at: Date | undefined;
  reload: () => void;
}

/**
 * GETs `path` with the session's key (null: nothing to fetch yet), again on `reload()` and
 * `refreshMs` after each answer (a number, or a function of the last answer: poll only while
 * something runs). The last answer for the same path stays on screen while the next one loads.
 */
export function useApi<T>(
  path: string | null,
  refreshMs?: number | ((data: T | undefined) => number | undefined),
): Loaded<T> {
  const { client } = useSession();
  const [nonce, setNonce] = useState(0);
  const [result, setResult] = useState<{
    path: string | null;
    nonce: number;
    data?: T;
    error?: unknown;
    at?: Date;
  }>({ path: null, nonce: -1 });

  useEffect(() => {
    if (path === null) return;
    let live = true;
    client.get<T>(path).then(
      (data) => live && setResult({ path, nonce, data, at: new Date() }),
      (error: unknown) =>
        live &&
        setResult((previous) => ({
          path,
          nonce,
          error,
          data: previous.path === path ? previous.data : undefined,
          at: previous.at,
        })),
    );
    return () => {
      live = false;
    };
  }, [client, path, nonce]);

  const same = result.path === path;
  const every =
    typeof refreshMs === 'function' ? refreshMs(same ? result.data : undefined) : refreshMs;
  // The next refresh is armed when an answer arrives, so a slow answer is never cut short.
  useEffect(() => {
    if (!every || path === null || result.path !== path) return;
    const timer = window.setTimeout(() => setNonce((n) => n + 1), every);
    return () => window.clearTimeout(timer);
  }, [every, path, result]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return {
    data: same ? result.data : undefined,
    error: same ? result.error : undefined,
    loading: path !== null && (!same || result.nonce !== nonce),
    at: same ? result.at : undefined,
    reload,
  };
}
