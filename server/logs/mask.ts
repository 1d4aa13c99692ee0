// Secrets never reach logs: every config value of 4+ characters is replaced by a mask.

export function maskSecrets(line: string, secrets: string[]): string {
  let out = line;
  for (const s of secrets) {
    if (s.length < 4) continue;
    if (out.includes(s)) out = out.split(s).join('****');
  }
  return out;
}

export const secretValues = (config: Record<string, string>) =>
  Object.values(config)
    .filter((v) => v.length >= 4)
    .sort((a, b) => b.length - a.length);
