// Every Docker object Kyozo creates or looks for is named and labelled here (pure): container names,
// image tags, volumes, networks and DNS aliases, the kyozo.* label keys and the label filters that find
// them again. Each name is a function of an input object so it can later be built from the app's
// immutable id instead of its name (two apps, or an app deleted and created again, can then never collide).

/** Label keys on Kyozo's containers, images and networks. */
export const LABEL = {
  app: 'kyozo.app',
  service: 'kyozo.service',
  release: 'kyozo.release',
  replica: 'kyozo.replica',
  port: 'kyozo.port',
  commit: 'kyozo.commit',
  /** The installation (server/instance.ts): reconcile and cleanup never touch another one's containers. */
  instance: 'kyozo.instance',
  /** On networks Kyozo created. */
  managed: 'kyozo.managed',
} as const;

export interface AppRef {
  app: string;
}
export interface ServiceRef extends AppRef {
  service: string;
}
export interface ReplicaRef extends ServiceRef {
  release: number;
  replica: number;
}
export interface InstanceRef {
  instance: string;
}

/** Lowercase, [a-z0-9-] only, no leading/trailing dashes: safe in container names, tags, DNS aliases. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

/** kyozo-<app>-<service>-v<release>-<replica>-<suffix>; the caller's random suffix makes it unique. */
export const containerName = (i: ReplicaRef & { suffix: string }) =>
  `kyozo-${slug(i.app)}-${slug(i.service)}-v${i.release}-${i.replica}-${slug(i.suffix)}`;

/** Image reference for a service build: kyozo/<app>-<service>:v<release>, or :<hash> for a content hash. */
export function imageTag(i: ServiceRef & { release: number | string }): string {
  const tag =
    typeof i.release === 'number' ? `v${i.release}` : i.release.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128);
  return `kyozo/${slug(i.app)}-${slug(i.service)}:${tag}`;
}

/** The app's bridge network: its services reach each other there by service name. */
export const networkName = (i: AppRef) => `kyozo-${i.app}`;

/** Names a replica answers to on its app network (discovery URLs use the bare service name, e.g. http://api:5000). */
export const networkAliases = (i: ServiceRef) => [slug(i.service), `${slug(i.service)}.${slug(i.app)}`];

/** Named volume for one data path of a backing service: survives releases, removed with the app. */
export function volumeName(i: ServiceRef & { path: string }): string {
  const path =
    i.path
      .replace(/[^a-zA-Z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'data';
  return `kyozo-${i.app}-${i.service}-${path}`.slice(0, 200);
}

export const containerLabels = (i: ReplicaRef & { port: number }): Record<string, string> => ({
  [LABEL.app]: i.app,
  [LABEL.service]: i.service,
  [LABEL.release]: String(i.release),
  [LABEL.replica]: String(i.replica),
  [LABEL.port]: String(i.port),
});

/** No per-release label by default: a label that changes every build would defeat the layer cache's last steps. */
export const buildLabels = (i: ServiceRef & { release?: number; commit?: string }): Record<string, string> => ({
  [LABEL.app]: i.app,
  [LABEL.service]: i.service,
  ...(i.release !== undefined ? { [LABEL.release]: String(i.release) } : {}),
  ...(i.commit ? { [LABEL.commit]: i.commit } : {}),
});

export const instanceLabels = (i: InstanceRef): Record<string, string> => ({ [LABEL.instance]: i.instance });
/** Every network Kyozo creates carries them (so start-up rejoins this installation's networks, and only those). */
export const networkLabels = (i: InstanceRef): Record<string, string> => ({
  [LABEL.managed]: 'true',
  [LABEL.instance]: i.instance,
});

// Label filters for DockerPort.list()/listImages(): a '' value means "has the label, any value".

/** Every replica container of this installation. */
export const managedContainers = (i: InstanceRef) => ({ [LABEL.app]: '', [LABEL.instance]: i.instance });
/** Every container of this installation, Kyozo's or labelled by a test run. */
export const instanceContainers = (i: InstanceRef) => ({ [LABEL.instance]: i.instance });
/** Replica containers of any installation on the engine (their images are in use). */
export const anyAppContainers = () => ({ [LABEL.app]: '' });
export const appContainers = (i: AppRef & InstanceRef) => ({ [LABEL.app]: i.app, [LABEL.instance]: i.instance });
export const appImages = (i: AppRef) => ({ [LABEL.app]: i.app });
/** Networks this installation created (listNetworks). */
export const managedNetworks = (i: InstanceRef) => networkLabels(i);

/**
 * Docker label filter values, sorted for determinism: { a: '1' } → ['a=1']. An empty value means "has the
 * label, any value": { a: '' } → ['a'] (Kyozo never sets empty label values).
 */
export function labelFilters(labels: Record<string, string>): string[] {
  return Object.keys(labels)
    .sort()
    .map((k) => (labels[k] === '' ? k : `${k}=${labels[k]}`));
}
