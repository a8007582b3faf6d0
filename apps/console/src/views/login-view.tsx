import { useState } from 'react';

import { ErrorNotice } from '../components/notices';

/** Sign in with an API key: the console is a client of the API like any other. */
export function LoginView({
  onSubmit,
  busy,
  error,
}: {
  onSubmit: (key: string) => void;
  busy: boolean;
  error: unknown;
}) {
  const [key, setKey] = useState('');
  const trimmed = key.trim();
  return (
    <main id="main" className="login">
      <form
        className="card"
        aria-labelledby="login-title"
        onSubmit={(e) => {
          e.preventDefault();
          if (trimmed) onSubmit(trimmed);
        }}
      >
        <h1 id="login-title">llmaas console</h1>
        <p>
          Sign in with an API key of your organisation. The console calls the platform's API with
          it; the key stays in this tab (session storage) and is forgotten when the tab closes.
        </p>
        <label>
          API key
          <input
            name="api-key"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="llm_…"
            aria-describedby="key-help"
            required
            autoFocus
          />
        </label>
        <p id="key-help" className="fineprint">
          Operators see the fleet, tenants, alerts and catalog; tenant admins their usage, requests,
          keys, batches and invoices; finance keys usage and invoices; developer keys batches and
          models.
        </p>
        <ErrorNotice error={error} />
        <button type="submit" className="primary" disabled={busy || !trimmed}>
          {busy ? 'Checking the key…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
