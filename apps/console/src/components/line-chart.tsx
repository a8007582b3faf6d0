import { ChartFrame } from './chart-frame';

export interface Series {
  name: string;
  /** Null where there is no value (e.g. no request that minute): the line breaks there. */
  values: (number | null)[];
}

const known = (values: (number | null)[]): number[] =>
  values.filter((v): v is number => v !== null);

/** Runs of consecutive known values, each drawn as its own line. */
function segments(values: (number | null)[]): { i: number; v: number }[][] {
  const out: { i: number; v: number }[][] = [];
  let run: { i: number; v: number }[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) out.push(run);
      run = [];
    } else run.push({ i, v });
  });
  if (run.length) out.push(run);
  return out;
}

interface Props {
  title: string;
  labels: string[];
  series: Series[];
  format: (n: number) => string;
  /** How an x label is written under the axis (e.g. "11-27" for "2026-11-27"). */
  tick?: (label: string) => string;
  height?: number;
  /** Whether the description sums each series (counts) or gives only its peak (durations). */
  totals?: boolean;
}

/** Lines over a shared x axis, drawn in SVG at the width it gets (no chart library). */
export function LineChart({
  title,
  labels,
  series,
  format,
  tick = (l) => l,
  height = 220,
  totals = true,
}: Props) {
  const summary = series
    .map((s) => {
      const values = known(s.values);
      const peak = `peak ${format(Math.max(0, ...values))}`;
      return totals
        ? `${s.name}: total ${format(values.reduce((a, b) => a + b, 0))}, ${peak}`
        : `${s.name}: ${peak}`;
    })
    .join('; ');
  const description = labels.length
    ? `${labels[0]} to ${labels.at(-1)}. ${summary || 'No data.'}`
    : 'No data.';
  const legend =
    series.length > 1 ? (
      <ul className="legend">
        {series.map((s, si) => (
          <li key={s.name}>
            <span className={`swatch series-${si % 8}`} aria-hidden="true" />
            {s.name}
          </li>
        ))}
      </ul>
    ) : undefined;

  return (
    <ChartFrame
      title={title}
      description={description}
      max={Math.max(0, ...series.flatMap((s) => known(s.values)))}
      format={format}
      height={height}
      legend={legend}
    >
      {({ left, plotW, height: h, y, labelsAt }) => {
        const x = (i: number) =>
          left + (labels.length > 1 ? (i * plotW) / (labels.length - 1) : plotW / 2);
        return (
          <>
            {labelsAt(labels.length).map((i) => (
              <text
                key={i}
                className="axis-label"
                x={x(i)}
                y={h - 8}
                textAnchor={i === 0 ? 'start' : i === labels.length - 1 ? 'end' : 'middle'}
              >
                {tick(labels[i] ?? '')}
              </text>
            ))}
            {series.map((s, si) => (
              <g key={s.name} className={`series series-${si % 8}`}>
                {segments(s.values).map((run) => (
                  <polyline
                    key={run[0]?.i}
                    fill="none"
                    points={run
                      .map(({ i, v }) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`)
                      .join(' ')}
                  />
                ))}
                {s.values.map((v, i) =>
                  v !== null && (v > 0 || labels.length === 1) ? (
                    <circle key={i} cx={x(i)} cy={y(v)} r={labels.length > 40 ? 1.5 : 3}>
                      <title>{`${s.name}, ${labels[i]}: ${format(v)}`}</title>
                    </circle>
                  ) : null,
                )}
              </g>
            ))}
          </>
        );
      }}
    </ChartFrame>
  );
}
