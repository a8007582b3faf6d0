import { useState } from 'react';

/** A new key's secret: shown here once, never again (the platform keeps only its hash). */
export function SecretOnce({
  label,
  secret,
  onDone,
}: {
  label: string;
  secret: string;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(secret).then(
      () => setCopied('Copied to the clipboard.'),
      () => setCopied('The browser refused the clipboard: select the key and copy it.'),
    );
  };
  return (
    <section className="notice secret" aria-labelledby="secret-title">
      <h3 id="secret-title">{label}</h3>
      <p>Store it now: it is shown only once and cannot be retrieved later.</p>
      <p>
        <code className="secret-value" data-testid="new-secret">
          {secret}
        </code>
      </p>
      <div className="actions">
        <button type="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="primary" onClick={onDone}>
          I have stored it
        </button>
      </div>
      <p role="status">{copied}</p>
    </section>
  );
}
