// Metrics: per app (one line per service) or system-wide, over 1 h / 24 h / 7 d, as SVG charts.
import { Chart, type Series } from './Chart.tsx';
import { Layout, type Viewer } from './Layout.tsx';
import type { AssetUrls } from './props.ts';
import { bytes } from './format.ts';

export interface ChartSet {
  id: string;
  title: string;
  unit: 'pct' | 'bytes' | 'count' | 'ms';
  series: Series[];
}

const formats: Record<ChartSet['unit'], (v: number) => string> = {
  pct: (v) => `${v > 0 && v < 1 ? v.toFixed(2) : v > 0 && v < 10 ? v.toFixed(1) : Math.round(v)}%`,
  bytes: (v) => bytes(v),
  count: (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)}k` : String(Math.round(v * 10) / 10)),
  ms: (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`),
};

export const RANGES = ['1h', '24h', '7d'] as const;

export function MetricsPage(props: {
  viewer: Viewer;
  assets: AssetUrls;
  apps: string[];
  app: string | null;
  services: string[];
  service: string | null;
  range: string;
  since: number;
  until: number;
  charts: ChartSet[];
  note?: string | null;
}) {
  const link = (over: Record<string, string | null>) => {
    const q = new URLSearchParams();
    const all = { app: props.app, service: props.service, range: props.range, ...over };
    for (const [k, v] of Object.entries(all)) if (v) q.set(k, v);
    return `/metrics?${q}`;
  };
  return (
    <Layout assets={props.assets} title="Metrics" viewer={props.viewer} active="metrics">
      <h1>
        Metrics{props.app ? ` · ${props.app}` : ' · system'}
        {props.service ? ` / ${props.service}` : ''}
      </h1>
      <div class="row spread">
        <nav class="tabs" aria-label="Scope">
          {props.viewer.isAdmin && (
            <a href={link({ app: null, service: null })} class={!props.app ? 'active' : undefined}>
              System
            </a>
          )}
          {props.apps.map((a) => (
            <a href={link({ app: a, service: null })} class={props.app === a ? 'active' : undefined}>
              {a}
            </a>
          ))}
        </nav>
        <nav class="tabs" aria-label="Range">
          {RANGES.map((r) => (
            <a href={link({ range: r })} class={props.range === r ? 'active' : undefined}>
              {r}
            </a>
          ))}
        </nav>
      </div>
      {props.app && props.services.length > 0 && (
        <nav class="tabs" aria-label="Service">
          <a href={link({ service: null })} class={!props.service ? 'active' : undefined}>
            all services
          </a>
          {props.services.map((s) => (
            <a href={link({ service: s })} class={props.service === s ? 'active' : undefined}>
              {s}
            </a>
          ))}
        </nav>
      )}
      {props.note && <p class="alert warn">{props.note}</p>}
      <div class="charts">
        {props.charts.map((ch) => (
          <Chart
            id={ch.id}
            title={ch.title}
            series={ch.series}
            since={props.since}
            until={props.until}
            format={formats[ch.unit]}
          />
        ))}
      </div>
    </Layout>
  );
}
