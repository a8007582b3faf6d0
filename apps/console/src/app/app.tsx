import { useCallback, useEffect, useMemo, useState } from 'react';

import { ApiClient } from '../api/api-client';
import { identify, type Identity } from '../api/identify';
import { roleLabel } from '../lib/format';
import { LoginView } from '../views/login-view';
import { hrefOf, navigate, useView } from './router';
import { SessionContext, storedKey, storeKey, type Session } from './session';
import { viewsFor } from './views';

type State =
  | { phase: 'signed-out'; error?: unknown }
  | { phase: 'checking'; key: string }
  | { phase: 'signed-in'; session: Session };

export function App() {
  const [state, setState] = useState<State>(() => {
    const key = storedKey();
    return key ? { phase: 'checking', key } : { phase: 'signed-out' };
  });

  // Checks a key (typed, or kept in this tab from before a reload) and finds its role.
  useEffect(() => {
    if (state.phase !== 'checking') return;
    let live = true;
    const client = new ApiClient(state.key);
    identify(client).then(
      (identity: Identity) => {
        if (!live) return;
        storeKey(state.key);
        setState({ phase: 'signed-in', session: { client, identity } });
      },
      (error: unknown) => {
        if (!live) return;
        storeKey(null);
        setState({ phase: 'signed-out', error });
      },
    );
    return () => {
      live = false;
    };
  }, [state]);

  const signOut = useCallback(() => {
    storeKey(null);
    setState({ phase: 'signed-out' });
  }, []);

  if (state.phase === 'signed-in') {
    return (
      <SessionContext value={state.session}>
        <Shell session={state.session} onSignOut={signOut} />
      </SessionContext>
    );
  }
  return (
    <LoginView
      busy={state.phase === 'checking'}
      error={state.phase === 'signed-out' ? state.error : undefined}
      onSubmit={(key) => setState({ phase: 'checking', key })}
    />
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const { identity } = session;
  const available = useMemo(() => viewsFor(identity.role), [identity.role]);
  const current = useView();
  const view = available.find((v) => v.id === current) ?? available[0]!;
  const [menuOpen, setMenuOpen] = useState(false);

  // An unknown or forbidden path (a bookmark from another role) lands on the role's first view.
  useEffect(() => {
    if (current !== view.id) navigate(view.id, true);
  }, [current, view.id]);

  // After navigating, focus the new view's heading so screen readers announce it.
  useEffect(() => {
    if (
      document.activeElement &&
      document.activeElement !== document.body &&
      !document.activeElement.closest('nav')
    )
      return;
    document.getElementById('page-title')?.focus({ preventScroll: true });
  }, [view.id]);

  const View = view.component;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">llmaas</span>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="site-nav" aria-label="Console" className={menuOpen ? 'open' : undefined}>
          <ul>
            {available.map((v) => (
              <li key={v.id}>
                <a
                  href={hrefOf(v.id)}
                  aria-current={v.id === view.id ? 'page' : undefined}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    setMenuOpen(false);
                    navigate(v.id);
                  }}
                >
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {roleLabel(identity.role)}
            {` · ${identity.tenantName}`}
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <View key={view.id} />
      </main>
    </div>
  );
}
