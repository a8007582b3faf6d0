/**
 * A horizontal bar for a share (VRAM used, batch progress), in SVG so that no inline style is
 * needed (the console's content security policy forbids them), with the meter role for readers.
 */
export function MeterBar({
  value,
  max,
  label,
  text,
  warnAt = 0.85,
}: {
  value: number;
  max: number;
  label: string;
  text: string;
  warnAt?: number;
}) {
  const share = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
  return (
    <div
      className="meter"
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={text}
    >
      <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        <rect className="meter-track" width="100" height="8" rx="2" />
        <rect
          className={share >= warnAt ? 'meter-fill warn' : 'meter-fill'}
          width={(share * 100).toFixed(2)}
          height="8"
          rx="2"
        />
      </svg>
      <span className="meter-text">{text}</span>
    </div>
  );
}
