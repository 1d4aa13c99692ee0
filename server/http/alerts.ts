// Alerts API: GET /api/alerts, GET and PATCH /api/apps/:name/alerts (thresholds + webhook per app).
import { Hono } from 'hono';
import type { Db } from '../db/client.ts';
import { getApp, visibleAppIds } from '../db/apps.ts';
import { recordEvent } from '../db/events.ts';
import { alertFields, appSettingsOf, listAlerts, saveAlertSettings, type Alert } from '../alerts/store.ts';
import {
  DEFAULT_THRESHOLDS,
  effectiveThresholds,
  mergeOverrides,
  SettingsError,
  validateWebhookUrl,
} from '../alerts/thresholds.ts';
import type { HttpEnv } from './env.ts';
import { asObject, readJson } from './json.ts';
import { loadApp } from './loadApp.ts';

export interface AlertsHttpDeps {
  db: Db;
}

export const alertJson = (a: Alert) => ({
  ...alertFields(a),
  state: a.resolvedAt ? 'resolved' : 'open',
  notifiedAt: a.notifiedAt?.toISOString() ?? null,
});

/** Mount at /api (behind requireToken). */
export function alertsRouter(deps: AlertsHttpDeps) {
  const { db } = deps;
  const r = new Hono<HttpEnv>();
  const withApp = loadApp(db);

  // ?state=open|resolved|all (default open) &app= &limit= (≤ 1000). Non-admins see the alerts of the apps they
  // own now (by id); admins see every alert, a deleted app's resolved ones included.
  r.get('/alerts', async (c) => {
    const p = c.get('principal');
    const state = c.req.query('state') ?? 'open';
    if (!['open', 'resolved', 'all'].includes(state))
      return c.json({ error: 'state must be open, resolved or all', param: 'state' }, 400);
    const limitRaw = c.req.query('limit');
    const limit = limitRaw === undefined ? 100 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      return c.json({ error: 'limit must be an integer from 1 to 1000', param: 'limit' }, 400);
    const appIds = p.isAdmin ? null : await visibleAppIds(db, p);
    // ?app= names the app that has the name now (a deleted app's alerts are not its alerts).
    const name = c.req.query('app');
    const one = name ? await getApp(db, p, name) : null;
    if (name && !one) return c.json([]);
    const rows = await listAlerts(db, { appIds, appId: one?.id, state: state as 'open', limit });
    return c.json(rows.map(alertJson));
  });

  r.get('/apps/:name/alerts', withApp, async (c) => {
    const app = c.get('app');
    const s = await appSettingsOf(db, app.id);
    const open = await listAlerts(db, { appIds: null, appId: app.id, state: 'open' });
    return c.json({
      thresholds: effectiveThresholds(s.alerts),
      overrides: s.alerts ?? {},
      defaults: DEFAULT_THRESHOLDS,
      webhookUrl: s.webhookUrl ?? null,
      open: open.map(alertJson),
    });
  });

  // Body: { thresholds?: { cpuPct?: number|null, ... }, webhookUrl?: string|null }. null removes an override.
  r.patch('/apps/:name/alerts', withApp, async (c) => {
    const p = c.get('principal');
    const app = c.get('app');
    const body = asObject(await readJson(c));
    const unknown = Object.keys(body).filter((k) => k !== 'thresholds' && k !== 'webhookUrl');
    if (unknown.length) return c.json({ error: `unknown field ${unknown[0]} (expected thresholds, webhookUrl)` }, 400);
    const current = await appSettingsOf(db, app.id);
    const patch: { alerts?: Record<string, number>; webhookUrl?: string | null } = {};
    try {
      if (body.thresholds !== undefined) patch.alerts = mergeOverrides(current.alerts, body.thresholds);
      if (body.webhookUrl !== undefined) patch.webhookUrl = validateWebhookUrl(body.webhookUrl, p.isAdmin);
    } catch (e) {
      if (e instanceof SettingsError) return c.json({ error: e.message }, 400);
      throw e;
    }
    const s = await saveAlertSettings(db, app.id, patch);
    await recordEvent(db, {
      type: 'alerts.settings',
      app: app.name,
      appId: app.id,
      actor: { userId: p.userId, email: p.email },
      message: `alert settings changed (${Object.keys(patch).join(', ') || 'nothing'})`,
      data: {
        thresholds: patch.alerts ?? null,
        webhook: patch.webhookUrl === undefined ? 'unchanged' : patch.webhookUrl ? 'set' : 'removed',
      },
    });
    return c.json({
      thresholds: effectiveThresholds(s.alerts),
      overrides: s.alerts ?? {},
      webhookUrl: s.webhookUrl ?? null,
    });
  });
  return r;
}
