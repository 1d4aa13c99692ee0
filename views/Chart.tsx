// A time-series chart as server-rendered SVG polylines: several series, y grid, time labels. No script.
export interface Series {
  name: string;
  points: [number, number | null][];
}

const W = 560;
const H = 200;
const L = 70;
const R = 10;
const T = 10;
const B = 26;
export const PALETTE = ['#3b5bdb', '#e8590c', '#2b8a3e', '#ae3ec9', '#c92a2a', '#0b7285', '#5f3dc4', '#a61e4d'];

export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const timeLabel = (t: number, spanMs: number) => {
  const d = new Date(t).toISOString();
  return spanMs > 2 * 86_400_000 ? d.slice(5, 10) + ' ' + d.slice(11, 16) : d.slice(11, 16);
};

/** Polyline segments (a null value breaks the line). */
function segments(points: [number, number | null][], x: (t: number) => number, y: (v: number) => number): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  for (const [t, v] of points) {
    if (v === null || !Number.isFinite(v)) {
      if (cur.length) out.push(cur.join(' '));
      cur = [];
      continue;
    }
    cur.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`);
  }
  if (cur.length) out.push(cur.join(' '));
  return out;
}

export function Chart(props: {
  title: string;
  series: Series[];
  since: number;
  until: number;
  format: (v: number) => string;
  id?: string;
}) {
  const span = props.until - props.since;
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.points.map(([, v]) => v ?? 0))));
  const x = (t: number) => L + ((t - props.since) / span) * (W - L - R);
  const y = (v: number) => T + (1 - v / max) * (H - T - B);
  const empty = props.series.every((s) => s.points.every(([, v]) => v === null));
  return (
    <section class="card" data-chart={props.id ?? props.title}>
      <h3>{props.title}</h3>
      <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g>
            <line class="grid" x1={L} x2={W - R} y1={y(max * f)} y2={y(max * f)} />
            {!empty && (
              <text class="axis" x={L - 6} y={y(max * f) + 5} text-anchor="end">
                {props.format(max * f)}
              </text>
            )}
          </g>
        ))}
        {[0, 0.5, 1].map((f) => (
          <text
            class="axis"
            x={x(props.since + span * f)}
            y={H - 6}
            text-anchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'}
          >
            {timeLabel(props.since + span * f, span)}
          </text>
        ))}
        {props.series.map((s, i) =>
          segments(s.points, x, y).map((pts) => <polyline points={pts} stroke={PALETTE[i % PALETTE.length]} />),
        )}
        {empty && (
          <text class="axis" x={(L + W) / 2} y={H / 2} text-anchor="middle">
            no data in this window
          </text>
        )}
      </svg>
      {props.series.length > 1 && (
        <div class="legend">
          {props.series.map((s, i) => (
            <span>
              <i class={`swatch-${i % PALETTE.length}`}></i>
              {s.name}
            </span>
          ))}
        </div>
      )}
    </section>
  );
}
