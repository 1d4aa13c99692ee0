// Docker API error helpers (dockerode errors carry statusCode and Docker's JSON message).

export type DockerError = Error & { statusCode?: number; json?: { message?: string } | string | null; reason?: string };

export function statusOf(e: unknown): number | undefined {
  return (e as DockerError)?.statusCode;
}

/** Docker's own error text ("No such container: …") rather than dockerode's "(HTTP code 404) …" wrapper. */
export function dockerMessage(e: unknown): string {
  const err = e as DockerError;
  const json = err?.json;
  if (json && typeof json === 'object' && json.message) return json.message;
  if (typeof json === 'string' && json.trim()) return json.trim();
  return err?.message ?? String(e);
}
