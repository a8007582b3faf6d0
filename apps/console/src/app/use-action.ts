import { useCallback, useState } from 'react';

/** One user action against the API: pending while it runs, its error kept to be shown in words. */
export function useAction() {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [message, setMessage] = useState<string | null>(null);

  const run = useCallback(
    async <T>(
      name: string,
      action: () => Promise<T>,
      done?: (result: T) => string | null,
    ): Promise<T | undefined> => {
      setPending(name);
      setError(undefined);
      setMessage(null);
      try {
        const result = await action();
        setMessage(done ? done(result) : null);
        return result;
      } catch (e) {
        setError(e);
        return undefined;
      } finally {
        setPending(null);
      }
    },
    [],
  );

  return { pending, error, message, run, clearError: () => setError(undefined) };
}
