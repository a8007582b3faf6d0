import { useId, type ReactNode } from 'react';

import { labelIndexes, niceTicks } from '../lib/chart-scale';
import { useWidth } from './use-width';

const PAD = { top: 12, right: 12, bottom: 26, left: 56 };

/** Where a chart draws: its plot box and the value → y mapping of its (rounded) axis. */
export interface Plot {
  left: number;
  plotW: number;
  height: number;
  y: (value: number) => number;
  /** Indexes of the x labels that fit, first and last included. */
  labelsAt: (count: number) => number[];
}

interface Props {
  title: string;
  /** What a screen reader hears instead of the drawing. */
  description: string;
  max: number;
  format: (n: number) => string;
  height: number;
  legend?: ReactNode;
  children: (plot: Plot) => ReactNode;
}

/**
 * The part every chart shares: a captioned figure, an SVG as wide as its box (followed as the
 * window resizes), a y axis from 0 to a round maximum with its grid. Marks are the children's.
 */
export function ChartFrame({ title, description, max, format, height, legend, children }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>(640);
  const id = useId();
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = height - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH * (1 - v / top);
  const labelsAt = (count: number) => labelIndexes(count, Math.max(2, Math.floor(plotW / 80)));

  return (
    <figure className="chart">
      <figcaption id={`${id}-t`}>{title}</figcaption>
      <div ref={ref} className="chart-area">
        <svg
          width={width}
          height={height}
          role="img"
          aria-labelledby={`${id}-t`}
          aria-describedby={`${id}-d`}
        >
          <desc id={`${id}-d`}>{description}</desc>
          {ticks.map((t) => (
            <g key={t} className="grid">
              <line x1={PAD.left} x2={PAD.left + plotW} y1={y(t)} y2={y(t)} />
              <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
                {format(t)}
              </text>
            </g>
          ))}
          {children({ left: PAD.left, plotW, height, y, labelsAt })}
        </svg>
      </div>
      {legend}
    </figure>
  );
}
