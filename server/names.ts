// App, service and config-key naming rules (pure).

export const DNS_LABEL = /^[a-z][a-z0-9-]{0,62}$/;

/** Returns an error message, or null when the name is a valid app name. */
export function appNameError(name: unknown): string | null {
  if (typeof name !== 'string') return 'name must be a string';
  if (!DNS_LABEL.test(name))
    return 'name must be a DNS label: 1–63 characters of a–z, 0–9 and "-", starting with a letter';
  if (name.endsWith('-')) return 'name must not end with "-"';
  return null;
}

export const isAppName = (name: unknown): name is string => appNameError(name) === null;

const CONFIG_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
/** Keys Kyozo sets itself; users may not override them. */
export const RESERVED_KEYS = new Set(['PORT']);

export function configKeyError(key: string): string | null {
  if (!CONFIG_KEY.test(key)) return `config key "${key}" must match [A-Za-z_][A-Za-z0-9_]*`;
  if (RESERVED_KEYS.has(key)) return `config key "${key}" is set by Kyozo and cannot be changed`;
  return null;
}

/** `<SERVICE>_URL` env name for service discovery. */
export const serviceUrlKey = (service: string) => `${service.toUpperCase().replace(/-/g, '_')}_URL`;
