// Every Docker object Kyozo creates or looks for is named and labelled here (pure): container names,
// image tags, volumes, networks and DNS aliases, the kyozo.* label keys and the label filters that find
// them again. Names come from the app's immutable uid (apps.uid), never from its name: two apps whose
// names and service names join to the same string (`kk` + `x-web`, `kk-x` + `web`), an app deleted and
// created again, or two installations on one engine can never share an image, a volume or a network.
// The app's name is a label (kyozo.app.name), for humans only; nothing looks objects up by it.

/** Label keys on Kyozo's containers, images, volumes and networks. */
export const LABEL = {
  /** The app's uid (apps.uid): every filter that finds an app's objects uses it. */
  app: 'kyozo.app',
  /** The app's name, for people reading `docker ps`; never used to find anything. */
  appName: 'kyozo.app.name',
  service: 'kyozo.service',
  release: 'kyozo.release',
  replica: 'kyozo.replica',
  port: 'kyozo.port',
  commit: 'kyozo.commit',
  /** On volumes: the container path the volume holds. */
  path: 'kyozo.path',
  /** The installation (server/instance.ts): reconcile, cleanup and deletion never touch another one's objects. */
  instance: 'kyozo.instance',
  /** On networks Kyozo created. */
  managed: 'kyozo.managed',
} as const;

/** An app as Docker sees it: objects are named from the uid; the name only labels them. */
export interface AppRef {
  uid: string;
}
export interface AppNameRef extends AppRef {
  name: string;
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

/** kyozo-<uid>-<service>-v<release>-<replica>-<suffix>; the caller's random suffix makes it unique. */
export const containerName = (i: ReplicaRef & { suffix: string }) =>
  `kyozo-${slug(i.uid)}-${slug(i.service)}-v${i.release}-${i.replica}-${slug(i.suffix)}`;

/**
 * Image reference for a service build: kyozo/<uid>/<service>:v<release>, or :<hash> for a content hash.
 * The uid is its own path component, so no app and service names can join into another app's repository.
 */
export function imageTag(i: ServiceRef & { release: number | string }): string {
  const tag =
    typeof i.release === 'number' ? `v${i.release}` : i.release.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 128);
  return `kyozo/${slug(i.uid)}/${slug(i.service)}:${tag}`;
}

/** The app's bridge network: its services reach each other there by service name. */
export const networkName = (i: AppRef) => `kyozo-${slug(i.uid)}`;

/** Names a replica answers to on its app's own network (discovery URLs use the bare service name, e.g. http://api:5000). */
export const networkAliases = (i: { name: string; service: string }) => [
  slug(i.service),
  `${slug(i.service)}.${slug(i.name)}`,
];

/**
 * Named volume for one data path of a backing service: kyozo_<uid>_<service>_<path>. Neither the uid nor a
 * service name (a DNS label) holds '_', so the first three '_' split it; the path is encoded one-to-one
 * ('/' → '.', letters, digits and '-' kept, anything else _<hex byte>), so two paths never share a volume.
 */
export function volumeName(i: ServiceRef & { path: string }): string {
  const name = `kyozo_${slug(i.uid)}_${slug(i.service)}_${encodePath(i.path)}`;
  // Long paths: a readable start and a hash of the whole path (volume names become directory names).
  return name.length <= 200 ? name : `${name.slice(0, 180)}_${fnv1a(i.path)}`;
}

/** Same mount target, same text: '//data/' is '/data'. */
const normalPath = (p: string) => '/' + p.split('/').filter(Boolean).join('/');

function encodePath(path: string): string {
  const p = normalPath(path).slice(1);
  if (!p) return '.';
  let out = '';
  for (const ch of p) {
    if (/[A-Za-z0-9-]/.test(ch)) out += ch;
    else if (ch === '/') out += '.';
    else for (const b of new TextEncoder().encode(ch)) out += `_${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * The name volumes had before names came from the uid (kyozo-<app>-<service>-<path>): a backing service
 * whose release recorded no volume names (release_services.volume_names null) still has its data there.
 */
export function legacyVolumeName(i: { name: string; service: string; path: string }): string {
  const path =
    i.path
      .replace(/[^a-zA-Z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase() || 'data';
  return `kyozo-${i.name}-${i.service}-${path}`.slice(0, 200);
}

/** The app network's name before names came from the uid (replicas kept since then may still be on it). */
export const legacyNetworkName = (i: { name: string }) => `kyozo-${i.name}`;

/** kyozo.app (the uid, what filters use) and kyozo.app.name (for humans). */
export const appLabels = (i: AppNameRef): Record<string, string> => ({
  [LABEL.app]: i.uid,
  [LABEL.appName]: i.name,
});

export const containerLabels = (
  i: AppNameRef & { service: string; release: number; replica: number; port: number },
): Record<string, string> => ({
  ...appLabels(i),
  [LABEL.service]: i.service,
  [LABEL.release]: String(i.release),
  [LABEL.replica]: String(i.replica),
  [LABEL.port]: String(i.port),
});

/** No per-release label by default: a label that changes every build would defeat the layer cache's last steps. */
export const buildLabels = (
  i: AppNameRef & InstanceRef & { service: string; release?: number; commit?: string },
): Record<string, string> => ({
  ...appLabels(i),
  [LABEL.service]: i.service,
  [LABEL.instance]: i.instance,
  ...(i.release !== undefined ? { [LABEL.release]: String(i.release) } : {}),
  ...(i.commit ? { [LABEL.commit]: i.commit } : {}),
});

/** A backing service's data volume: the app, the installation, the service and the path it holds. */
export const volumeLabels = (
  i: AppNameRef & InstanceRef & { service: string; path: string },
): Record<string, string> => ({
  ...appLabels(i),
  [LABEL.service]: i.service,
  [LABEL.path]: normalPath(i.path),
  [LABEL.instance]: i.instance,
});

export const instanceLabels = (i: InstanceRef): Record<string, string> => ({ [LABEL.instance]: i.instance });
/** Every network Kyozo creates carries them (so start-up rejoins this installation's networks, and only those). */
export const networkLabels = (i: InstanceRef): Record<string, string> => ({
  [LABEL.managed]: 'true',
  [LABEL.instance]: i.instance,
});
/** An app's network: Kyozo's network labels and the app's. */
export const appNetworkLabels = (i: AppNameRef & InstanceRef): Record<string, string> => ({
  ...networkLabels(i),
  ...appLabels(i),
});

// Label filters for DockerPort.list()/listImages()/listVolumes()/listNetworks(): a '' value means "has the
// label, any value".

/** Every replica container of this installation. */
export const managedContainers = (i: InstanceRef) => ({ [LABEL.app]: '', [LABEL.instance]: i.instance });
/** Every container of this installation, Kyozo's or labelled by a test run. */
export const instanceContainers = (i: InstanceRef) => ({ [LABEL.instance]: i.instance });
/** Replica containers of any installation on the engine (their images are in use). */
export const anyAppContainers = () => ({ [LABEL.app]: '' });
/** One app's objects of this installation: containers, the images it built, its volumes and networks. */
export const appObjects = (i: AppRef & InstanceRef) => ({ [LABEL.app]: i.uid, [LABEL.instance]: i.instance });
export const appContainers = appObjects;
export const appImages = appObjects;
export const appVolumes = appObjects;
export const appNetworks = appObjects;
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
