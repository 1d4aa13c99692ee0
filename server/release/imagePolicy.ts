// Which images a compose `image:` service may run (pure). A registry image is fine (pulled when missing);
// an image that only exists on this engine (built or imported here: no registry digest) runs only when an
// admin allowed it with KYOZO_ALLOWED_IMAGES; an image Kyozo built for an app never runs as another
// service's `image:` (it would run that app's code, and it carries no registry digest anyway).
import { LABEL } from '../runtime/names.ts';

export interface ImageFacts {
  /** Labels of the local image (kyozo.app marks an image Kyozo built for an app). */
  labels: Record<string, string>;
  /** Registry digests (`repo@sha256:...`): empty for images that were built or imported on this engine. */
  repoDigests: string[];
}

/** Glob patterns (`*` any run of characters): `postgres:*`, `registry.internal:5000/*`, `kyozo/standin-*`. */
export function parseAllowedImages(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

const toRegExp = (glob: string) =>
  new RegExp('^' + glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');

export const imageAllowed = (ref: string, patterns: string[]) => patterns.some((p) => toRegExp(p).test(ref));

/** null when `service` may run `ref`; else the refusal, naming the service and the rule. */
export function imageRefusal(
  service: string,
  ref: string,
  facts: ImageFacts | null,
  allowed: string[],
  /** The app's own uid: an image Kyozo built for this same app (e.g. an older release's) is its own code. */
  ownApp?: string,
): string | null {
  if (!facts) return null; // not on this engine: a registry reference, pulled (or refused by the registry)
  // Checked before the allow-list: no pattern makes another app's build runnable.
  const builtFor = facts.labels[LABEL.app];
  if (builtFor !== undefined && builtFor === ownApp) return null;
  if (builtFor !== undefined)
    return `service ${service}: image ${ref} was built by Kyozo for an app; a compose image: may name a registry image or one an admin allowed in KYOZO_ALLOWED_IMAGES, never another app's build`;
  if (facts.repoDigests.length === 0 && !imageAllowed(ref, allowed))
    return `service ${service}: image ${ref} exists only on this machine (built or imported here, not from a registry); an admin can allow it with KYOZO_ALLOWED_IMAGES (e.g. KYOZO_ALLOWED_IMAGES="${ref.replace(/:[^/:]*$/, '')}:*")`;
  return null;
}
