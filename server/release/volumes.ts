// Which Docker volume holds each data path of a backing service (pure). A path keeps the volume the
// service's previous release used for it, so a new release never starts a database on an empty volume and
// a service deployed before volumes were named from the app's uid keeps its kyozo-<app>-<service>-<path>
// volume (release_services.volume_names null: the name it had then). A path no earlier release had gets
// kyozo_<uid>_<service>_<path> (runtime/names.ts volumeName), which no other app can share.
import { legacyVolumeName, volumeName } from '../runtime/names.ts';
import { isBackingType, type ServiceSpec } from './spec.ts';

type VolumeRecord = Pick<ServiceSpec, 'name' | 'type' | 'volumes' | 'volumeNames'>;

/**
 * The volume a release's backing service uses for `path`: the one it recorded, or (a release from before
 * releases recorded them) the name volumes had then. null when the service keeps no data at that path.
 */
export function recordedVolume(app: { name: string }, s: VolumeRecord, path: string): string | null {
  if (!isBackingType(s.type) || !s.volumes.includes(path)) return null;
  return s.volumeNames?.[path] ?? legacyVolumeName({ name: app.name, service: s.name, path });
}

/**
 * The new release's specs with the volume of each backing service's path recorded: the previous (live)
 * release's volume for that service and path; else, when the specs were copied from an earlier release
 * (config, rollback, restart, scale), the volume that release used; else a new uid-based name.
 */
export function assignVolumes(
  app: { uid: string; name: string },
  specs: ServiceSpec[],
  previous: ServiceSpec[],
  copied: boolean,
): ServiceSpec[] {
  return specs.map((s) => {
    if (!isBackingType(s.type)) return { ...s, volumeNames: null };
    const prev = previous.find((p) => p.name === s.name);
    const names = s.volumes.map((path) => {
      const name =
        (prev ? recordedVolume(app, prev, path) : null) ??
        (copied ? recordedVolume(app, s, path) : null) ??
        volumeName({ uid: app.uid, service: s.name, path });
      return [path, name] as const;
    });
    return { ...s, volumeNames: Object.fromEntries(names) };
  });
}
