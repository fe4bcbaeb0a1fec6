/** Plain SVG charts: count bars (event histogram) and lines (rates, utilisation). No chart library. */
import type { ReactNode } from 'react';

export interface Bar {
  label: string;
  value: number;
  title: string;
}

export function BarChart(props: { bars: readonly Bar[]; height?: number; onBarClick?(index: number): void; ariaLabel: string }): ReactNode {
  const height = props.height ?? 90;
  const width = 1000;
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const n = Math.max(1, props.bars.length);
  const w = width / n;
  return (
    <svg className="chart bar-chart" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={props.ariaLabel} style={{ height }}>
      {props.bars.map((b, i) => {
        const h = (b.value / max) * (height - 4);
        return (
          <rect
            key={i}
            x={i * w + w * 0.1}
            y={height - h}
            width={Math.max(1, w * 0.8)}
            height={h}
            className={props.onBarClick ? 'bar clickable' : 'bar'}
            onClick={props.onBarClick ? () => props.onBarClick!(i) : undefined}
          >
            <title>{b.title}</title>
          </rect>
        );
      })}
    </svg>
  );
}

export interface Series {
  name: string;
  className: string;
  points: ReadonlyArray<{ t: number; v: number | null }>;
}

export function LineChart(props: { series: readonly Series[]; height?: number; ariaLabel: string; format?(v: number): string }): ReactNode {
  const height = props.height ?? 160;
  const width = 1000;
  const pad = 4;
  let tMin = Infinity;
  let tMax = -Infinity;
  let vMax = 0;
  for (const s of props.series)
    for (const p of s.points) {
      if (p.t < tMin) tMin = p.t;
      if (p.t > tMax) tMax = p.t;
      if (p.v !== null && p.v > vMax) vMax = p.v;
    }
  if (!Number.isFinite(tMin) || tMax === tMin) tMax = tMin + 1;
  if (vMax === 0) vMax = 1;
  const x = (t: number): number => pad + ((t - tMin) / (tMax - tMin)) * (width - 2 * pad);
  const y = (v: number): number => height - pad - (v / vMax) * (height - 2 * pad);
  return (
    <div className="line-chart">
      <svg className="chart" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={props.ariaLabel} style={{ height }}>
        {props.series.map((s) => {
          let d = '';
          let pen = false;
          for (const p of s.points) {
            if (p.v === null) {
              pen = false;
              continue;
            }
            d += `${pen ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
            pen = true;
          }
          return <path key={s.name} d={d} className={`line ${s.className}`} vectorEffect="non-scaling-stroke" />;
        })}
      </svg>
      <div className="legend">
        {props.series.map((s) => (
          <span key={s.name} className={`legend-item ${s.className}`}>
            {s.name}
          </span>
        ))}
        <span className="legend-max">max {props.format ? props.format(vMax) : vMax}</span>
      </div>
    </div>
  );
}

/** A horizontal proportion bar (top talkers, top values). */
export function Meter(props: { value: number; max: number; className?: string }): ReactNode {
  const pct = props.max > 0 ? Math.min(100, (props.value / props.max) * 100) : 0;
  return (
    <div className={`meter ${props.className ?? ''}`}>
      <div style={{ width: `${pct}%` }} />
    </div>
  );
}
