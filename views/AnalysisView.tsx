// The analysis of an uploaded folder: services with confidence and evidence, dependency map, recommendations.
import type { Topology } from '../server/analysis/types.ts';
import { DependencyMap } from './DependencyMap.tsx';
import { BarTrack, Badge, Csrf } from './Layout.tsx';
import { tone } from './format.ts';

export function ConfidenceBar(props: { value: number }) {
  const v = Math.round(Math.max(0, Math.min(1, props.value)) * 100);
  return (
    <div class="bar" title={`confidence ${v}%`}>
      <span class="bar-label">Conf.</span>
      <BarTrack fill={v} tone="conf" />
      <span class="bar-text" data-testid="confidence">
        {v}%
      </span>
    </div>
  );
}

export function AnalysisView(props: {
  app: string;
  uploadId: string;
  topology: Topology;
  csrf: string;
  files: number;
  dropped: string[];
}) {
  const t = props.topology;
  const deployable = t.services.length > 0;
  return (
    <div id="analysis-result" data-testid="analysis">
      <h2>Analysis</h2>
      <p class="muted">
        {props.files} files uploaded · {t.stats.files} analyzed in {t.stats.durationMs} ms · {t.services.length} service
        {t.services.length === 1 ? '' : 's'} detected
      </p>
      {props.dropped.length > 0 && (
        <p class="alert warn">
          Dropped: {props.dropped.slice(0, 10).join(', ')}
          {props.dropped.length > 10 ? ` and ${props.dropped.length - 10} more` : ''}
        </p>
      )}
      <div class="cards">
        {t.services.map((s) => (
          <article class="card service" data-service={s.name}>
            <header class="row">
              <h3>{s.name}</h3>
              <Badge status={s.type} tone="busy" />
              <span class="muted small">
                {s.runtime}
                {s.framework ? `/${s.framework}` : ''}
              </span>
            </header>
            <ConfidenceBar value={s.confidence} />
            <p class="small">
              Path <code>{s.path ?? '(image)'}</code>
              {s.port ? <> · port {s.port}</> : null} · build: {s.build.strategy}
              {s.build.image ? ` ${s.build.image}` : ''}
            </p>
            <ul class="evidence">
              {s.evidence.map((e) => (
                <li>{e}</li>
              ))}
            </ul>
          </article>
        ))}
      </div>
      <h3>Dependency map</h3>
      <DependencyMap
        nodes={t.services.map((s) => ({ name: s.name, type: s.type, runtime: s.runtime }))}
        edges={t.dependencies}
      />
      <h3>Recommendations</h3>
      {t.recommendations.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <table class="table">
          <tbody>
            {t.recommendations.map((r) => (
              <tr>
                <td>
                  <Badge status={r.severity} tone={tone(r.severity)} />
                </td>
                <td class="mono small">{r.code}</td>
                <td>
                  {r.message}
                  {r.path && <span class="muted small"> ({r.path})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deployable ? (
        <form method="post" action={`/apps/${props.app}/deploy/${props.uploadId}`} class="row deploy-form">
          <Csrf token={props.csrf} />
          <button type="submit" class="primary" data-testid="deploy">
            Deploy
          </button>
          <span class="muted small">
            Commits the folder to {props.app}'s main branch and deploys it like a git push.
          </span>
        </form>
      ) : (
        <p class="alert bad">Nothing deployable was found, so there is nothing to deploy.</p>
      )}
    </div>
  );
}
