// Alert effects after each collection cycle: evaluate, open/resolve rows, record events, queue webhooks.
import type { Db } from '../db/client.ts';
import { recordEvent } from '../db/events.ts';
import type { Observation } from '../metrics/collect.ts';
import { conditions, transitions, type Condition } from './evaluate.ts';
import {
  alertFields,
  alertSettingsByApp,
  dropOrphanAlerts,
  latestFinishedReleases,
  markNotified,
  openAlert,
  openAlerts,
  resolveAlert,
  type Alert,
} from './store.ts';
import { diskPct, RestartHistory, serviceSubjects } from './subjects.ts';
import { DEFAULT_THRESHOLDS, effectiveThresholds, type Thresholds } from './thresholds.ts';
import type { WebhookQueue } from './webhook.ts';

export interface AlertDeps {
  db: Db;
  webhooks: Pick<WebhookQueue, 'enqueue'>;
  /** Installation-wide defaults (per-app overrides win). */
  defaults?: Thresholds;
}

export function alertPayload(event: 'alert.opened' | 'alert.resolved', a: Alert) {
  return { event, alert: alertFields(a) };
}

export class AlertEngine {
  readonly history = new RestartHistory();
  constructor(private deps: AlertDeps) {}

  /** Returns what changed; never throws for one failed write (the rest still happens). */
  async evaluate(obs: Observation): Promise<{ opened: Alert[]; resolved: Alert[] }> {
    const { db } = this.deps;
    await dropOrphanAlerts(db);
    const [settings, deploys, open] = await Promise.all([
      alertSettingsByApp(db),
      latestFinishedReleases(db),
      openAlerts(db),
    ]);
    const defaults = this.deps.defaults ?? DEFAULT_THRESHOLDS;
    const thresholdsOf = (app: string | null) =>
      app ? effectiveThresholds(settings.get(app)?.alerts, defaults) : defaults;
    const conds = conditions(
      {
        services: serviceSubjects(obs, this.history),
        deploys: deploys.map((d) => ({
          app: d.app,
          appId: d.appId,
          failed: d.status === 'failed',
          version: d.version,
          error: d.error,
        })),
        diskPct: diskPct(obs),
      },
      thresholdsOf,
    );
    const { toOpen, toResolve } = transitions(conds, open);
    const opened: Alert[] = [];
    const resolved: Alert[] = [];
    const notify = (event: 'alert.opened' | 'alert.resolved', a: Alert) => {
      const url = a.app ? settings.get(a.app)?.webhookUrl : null;
      if (url)
        this.deps.webhooks.enqueue({ url, body: alertPayload(event, a), onDelivered: () => markNotified(db, a.id) });
    };
    for (const c of toOpen) {
      const a = await openAlert(db, c, obs.at).catch(logError(c));
      if (!a) continue;
      opened.push(a);
      await recordEvent(db, {
        type: 'alert.open',
        app: a.app,
        appId: a.appId,
        service: a.service,
        level: a.severity === 'critical' ? 'error' : 'warning',
        message: a.message,
        data: { alertId: a.id, kind: a.kind, value: a.value, threshold: a.threshold },
      });
      notify('alert.opened', a);
    }
    for (const { alert, condition } of toResolve) {
      const a = await resolveAlert(db, alert.id, obs.at, condition?.value).catch(logError(condition));
      if (!a) continue;
      resolved.push(a);
      await recordEvent(db, {
        type: 'alert.resolve',
        app: a.app,
        appId: a.appId,
        service: a.service,
        message: `resolved: ${condition?.message ?? `${a.kind} no longer observed`}`,
        data: { alertId: a.id, kind: a.kind },
      });
      notify('alert.resolved', a);
    }
    return { opened, resolved };
  }
}

const logError = (c: Condition | null) => (e: unknown) => {
  console.error(`[alerts] ${c?.key ?? 'alert'}: ${(e as Error).message}`);
  return null;
};
