import { useSyncExternalStore } from 'react';

// Client routes under /console/<view>; the gateway answers every /console/* path with index.html.
export const BASE = '/console';

const listeners = new Set<() => void>();

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
};

const currentView = () => {
  const path = window.location.pathname;
  return path.startsWith(BASE) ? path.slice(BASE.length).replace(/^\/+|\/+$/g, '') : '';
};

export const hrefOf = (view: string) => `${BASE}/${view}`;

export function navigate(view: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', hrefOf(view));
  else window.history.pushState(null, '', hrefOf(view));
  for (const listener of listeners) listener();
}

export const useView = (): string => useSyncExternalStore(subscribe, currentView);
