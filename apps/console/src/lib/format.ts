// How numbers, dates and sizes read in the console (English, ISO dates, UTC like the platform).

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat('en');

/** 1234 → "1,234"; large counts stay readable in a table. */
export const formatCount = (n: number): string => whole.format(n);

/** 1234567 → "1.2M": for axes and chart labels. */
export const formatCompact = (n: number): string => compact.format(n);

/** "12.35" → "€12.35"; amounts under a cent keep their significant digits. */
export function formatEuros(value: string | number): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (n !== 0 && Math.abs(n) < 0.01) return `€${n.toPrecision(2)}`;
  return `€${n.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** MiB → "79.6 GiB". */
export function formatMiB(mib: number): string {
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

/** An ISO instant as "2026-11-27 05:08:58 UTC". */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Unix seconds (OpenAI's `created_at`) as an instant. */
export const formatUnix = (seconds: number | null | undefined): string =>
  seconds ? formatInstant(new Date(seconds * 1000).toISOString()) : '—';

/** "2026-11-27" for `days` days before `from` (UTC). */
export function isoDay(date: Date, minusDays = 0): string {
  return new Date(date.getTime() - minusDays * 86_400_000).toISOString().slice(0, 10);
}

/** Every day from `from` to `to` inclusive (ISO dates, UTC). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && days.length < 1000; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** Milliseconds as "3 s ago", "4 min ago". */
export function formatAgo(ms: number): string {
  if (ms < 1000) return 'just now';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  return `${Math.round(ms / 3_600_000)} h ago`;
}

/** Role ids as people say them. */
export const roleLabel = (role: string): string =>
  ({
    operator: 'Platform operator',
    tenant_admin: 'Tenant admin',
    developer: 'Developer',
    finance: 'Finance',
  })[role] ?? role;

/** A duration in milliseconds: "8.4 ms", "312 ms", "2.35 s". */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
