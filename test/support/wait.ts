// Polling for end-to-end tests: wait until a value satisfies a condition, bounded in time.

export async function until<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let v = await fn();
  while (!ok(v)) {
    if (Date.now() > end)
      throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(v)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, everyMs));
    v = await fn();
  }
  return v;
}
