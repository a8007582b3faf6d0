import { createContext, use } from 'react';

import { type ApiClient } from '../api/api-client';
import { type Identity } from '../api/identify';

export interface Session {
  client: ApiClient;
  identity: Identity;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in key's client and identity; views render only inside a session. */
export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** The key lives in sessionStorage: gone when the tab closes, never in a cookie or on disk for long. */
const STORAGE_KEY = 'llmaas.console.key';

export const storedKey = (): string | null => {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
};

export function storeKey(key: string | null): void {
  try {
    if (key === null) window.sessionStorage.removeItem(STORAGE_KEY);
    else window.sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage refused (private mode): the session lasts as long as the page.
  }
}
