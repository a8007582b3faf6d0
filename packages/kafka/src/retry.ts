import { type ConsumerLog } from './consumer-supervisor.js';

/**
 * Runs `attempt` until it succeeds, backing off up to 5 s. For starting consumers: a broker that
 * is still electing partition leaders (just after topics were created) or not up yet delays the
 * consumer, it must not kill the process.
 */
export async function retryUntilDone(what: string, attempt: () => Promise<void>, log: ConsumerLog): Promise<void> {
  for (let n = 1; ; n++) {
    try {
      await attempt();
      return;
    } catch (error) {
      log('warn', `${what} failed, retrying`, { attempt: n, error: error instanceof Error ? error.message : String(error) });
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * n, 5000)));
    }
  }
}

/** The promise's outcome, or a rejection after `ms` (a remote call that may never answer). */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
