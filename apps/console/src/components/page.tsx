import { type ReactNode } from 'react';

/** A view: its heading (the target of focus after navigation), optional tools, then content. */
export function Page({
  title,
  intro,
  tools,
  children,
}: {
  title: string;
  intro?: ReactNode;
  tools?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {tools && <div className="tools">{tools}</div>}
      </header>
      {intro && <p className="intro">{intro}</p>}
      {children}
    </section>
  );
}

/** A table that scrolls sideways on a phone rather than squeezing; focusable so keys scroll it. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    // A scrollable region must be reachable from the keyboard (WCAG 2.1.1).
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>{children}</table>
    </div>
  );
}

export function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** The search box that narrows a long table (tenants, catalog) as one types. */
export function FilterBox({
  value,
  onChange,
  placeholder,
}: {
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
}) {
  return (
    <label>
      Filter{' '}
      <input
        type="search"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
      />
    </label>
  );
}
