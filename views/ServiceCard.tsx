// One service of an app as a card: status, replicas, CPU/memory bars, lifecycle and scale controls.
import { BarTrack, Badge, Csrf } from './Layout.tsx';
import type { ServiceStats } from './props.ts';
import { bytes, pct, tone } from './format.ts';

export interface ServiceView {
  name: string;
  type: string;
  image: string;
  port: number | null;
  url: string | null;
  memoryMb: number;
  cpus: number;
  replicaCount: number;
  replicas: { index: number; state: string; host: string; port: number }[];
}

export interface Controls {
  scale: boolean;
  lifecycle: boolean;
}

export function serviceStatus(s: ServiceView): string {
  if (s.replicas.length === 0) return 'stopped';
  if (s.replicas.some((r) => r.state === 'crashed' || r.state === 'failed')) return 'crashed';
  if (s.replicas.every((r) => r.state === 'running')) return 'running';
  return s.replicas[0].state;
}

function Bar(props: { label: string; value: number | null; text: string }) {
  const v = props.value === null ? 0 : Math.max(0, Math.min(100, props.value));
  return (
    <div class="bar" title={`${props.label}: ${props.text}`}>
      <span class="bar-label">{props.label}</span>
      <BarTrack fill={v} tone={v > 85 ? 'bad' : v > 60 ? 'warn' : 'good'} />
      <span class="bar-text">{props.text}</span>
    </div>
  );
}

export function ServiceCard(props: {
  app: string;
  service: ServiceView;
  stats?: ServiceStats;
  controls: Controls;
  csrf: string;
}) {
  const s = props.service;
  const st = props.stats;
  const status = serviceStatus(s);
  const running = s.replicas.filter((r) => r.state === 'running').length;
  const cpuOfLimit = st?.cpuPct != null ? st.cpuPct / Math.max(s.cpus * s.replicas.length, 0.01) : null;
  const memLimit = st?.memLimitBytes || s.memoryMb * 1024 * 1024 * Math.max(1, s.replicas.length);
  const memPct = st?.memBytes != null ? (st.memBytes / memLimit) * 100 : null;
  const action = (verb: string) => `/apps/${props.app}/services/${s.name}/${verb}`;
  return (
    <article class="card service" data-service={s.name}>
      <header class="row">
        <h3>{s.name}</h3>
        <Badge status={status} tone={tone(status)} />
        <span class="muted small">
          {s.type}
          {s.port ? ` · :${s.port}` : ''}
        </span>
      </header>
      <p class="small muted mono ellipsis" title={s.image}>
        {s.image}
      </p>
      <p class="small">
        Replicas{' '}
        <strong data-testid="replicas">
          {running}/{s.replicaCount}
        </strong>{' '}
        running · {s.cpus} CPU · {s.memoryMb} MB each
      </p>
      <Bar label="CPU" value={cpuOfLimit} text={pct(st?.cpuPct ?? null)} />
      <Bar
        label="Mem"
        value={memPct}
        text={st?.memBytes != null ? `${bytes(st.memBytes)} / ${bytes(memLimit)}` : '—'}
      />
      {s.url && (
        <p class="small">
          <a href={s.url}>{s.url}</a>
        </p>
      )}
      <footer class="row controls">
        {props.controls.lifecycle &&
          ['start', 'stop', 'restart'].map((verb) => (
            <form method="post" action={action(verb)} hx-post={action(verb)} hx-target="#services" hx-swap="innerHTML">
              <Csrf token={props.csrf} />
              <button type="submit" class={verb === 'stop' ? 'danger small' : 'small'}>
                {verb[0].toUpperCase() + verb.slice(1)}
              </button>
            </form>
          ))}
        {props.controls.scale && (
          <form
            method="post"
            action={action('scale')}
            hx-post={action('scale')}
            hx-target="#services"
            hx-swap="innerHTML"
            class="inline"
          >
            <Csrf token={props.csrf} />
            <input
              type="number"
              name="replicas"
              min={0}
              max={20}
              value={String(s.replicaCount)}
              aria-label={`Replicas of ${s.name}`}
              class="num"
            />
            <button type="submit" class="small">
              Scale
            </button>
          </form>
        )}
      </footer>
    </article>
  );
}

export function ServiceCards(props: {
  app: string;
  services: ServiceView[];
  stats: Map<string, ServiceStats>;
  controls: Controls;
  csrf: string;
}) {
  if (props.services.length === 0)
    return <p class="empty">Nothing is running yet. Push with git or deploy a folder.</p>;
  return (
    <div class="cards">
      {props.services.map((s) => (
        <ServiceCard
          app={props.app}
          service={s}
          stats={props.stats.get(s.name)}
          controls={props.controls}
          csrf={props.csrf}
        />
      ))}
    </div>
  );
}
