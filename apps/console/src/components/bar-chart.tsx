import { ChartFrame } from './chart-frame';

interface Props {
  title: string;
  labels: string[];
  values: number[];
  format: (n: number) => string;
  tick?: (label: string) => string;
  height?: number;
}

/** One bar per label, in SVG at the width it gets. */
export function BarChart({ title, labels, values, format, tick = (l) => l, height = 200 }: Props) {
  const total = values.reduce((a, b) => a + b, 0);
  const peak = values.reduce((best, v, i) => (v > (values[best] ?? 0) ? i : best), 0);
  const description = labels.length
    ? `${labels[0]} to ${labels.at(-1)}: total ${format(total)}, highest ${format(values[peak] ?? 0)} on ${labels[peak]}.`
    : 'No data.';

  return (
    <ChartFrame
      title={title}
      description={description}
      max={Math.max(0, ...values)}
      format={format}
      height={height}
    >
      {({ left, plotW, height: h, y, labelsAt }) => {
        const slot = plotW / Math.max(1, labels.length);
        const barW = Math.max(1, slot * 0.7);
        return (
          <>
            <g className="bars series-0">
              {values.map((v, i) => (
                <rect
                  key={i}
                  x={left + i * slot + (slot - barW) / 2}
                  y={y(v)}
                  width={barW}
                  height={Math.max(0, y(0) - y(v))}
                >
                  <title>{`${labels[i]}: ${format(v)}`}</title>
                </rect>
              ))}
            </g>
            {labelsAt(labels.length).map((i) => (
              <text
                key={i}
                className="axis-label"
                x={left + i * slot + slot / 2}
                y={h - 8}
                textAnchor="middle"
              >
                {tick(labels[i] ?? '')}
              </text>
            ))}
          </>
        );
      }}
    </ChartFrame>
  );
}
