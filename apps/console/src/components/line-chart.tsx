import { ChartFrame } from './chart-frame';

export interface Series {
  name: string;
  values: number[];
}

interface Props {
  title: string;
  labels: string[];
  series: Series[];
  format: (n: number) => string;
  /** How an x label is written under the axis (e.g. "11-27" for "2026-11-27"). */
  tick?: (label: string) => string;
  height?: number;
}

/** Lines over a shared x axis, drawn in SVG at the width it gets (no chart library). */
export function LineChart({ title, labels, series, format, tick = (l) => l, height = 220 }: Props) {
  const summary = series
    .map(
      (s) =>
        `${s.name}: total ${format(s.values.reduce((a, b) => a + b, 0))}, peak ${format(Math.max(0, ...s.values))}`,
    )
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
      max={Math.max(0, ...series.flatMap((s) => s.values))}
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
                <polyline
                  fill="none"
                  points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
                />
                {s.values.map((v, i) =>
                  v > 0 || labels.length === 1 ? (
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
