// Host network mode: every service of an app gets a stable 127.0.0.1 port, kept across releases.
// Web services are reached there through the proxy daemon (so discovery URLs never change when replicas
// do); backing services listen on it themselves. Kept in the app's settings; free ports are found by a bind check.
import type { Db } from '../db/client.ts';
import { allReplicas } from '../db/replicas.ts';
import { allServicePorts, getSettings, updateSettings } from '../db/settings.ts';
import { allocatePort } from '../runtime/ports.ts';

export const SERVICE_PORT_RANGE = [30000, 39999] as const;

export async function ensureServicePorts(db: Db, appId: number, services: string[]): Promise<Record<string, number>> {
  const current = (await getSettings(db, appId)).servicePorts ?? {};
  const missing = services.filter((s) => !current[s]);
  if (missing.length === 0) return current;
  const inUse = new Set([...(await allServicePorts(db)), ...(await allReplicas(db)).map((r) => r.port)]);
  const added: Record<string, number> = {};
  for (const s of missing) {
    const port = await allocatePort(inUse, SERVICE_PORT_RANGE);
    inUse.add(port);
    added[s] = port;
  }
  const next = await updateSettings(db, appId, (st) => ({
    ...st,
    servicePorts: { ...added, ...(st.servicePorts ?? {}) },
  }));
  return next.servicePorts ?? {};
}
