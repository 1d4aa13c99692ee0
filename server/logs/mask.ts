// Secrets never reach logs: every config value of 4+ characters is replaced by a mask, and a value of 6+
// characters also in the forms a program prints it in: percent-encoded (a URL, a query string) and base64
// (standard and URL-safe, at any of the three byte offsets, so `Basic base64(user:secret)` is caught too).
// A value split across lines or re-encoded some other way is not recognised.

export function maskSecrets(line: string, secrets: string[]): string {
  let out = line;
  for (const s of secrets) {
    if (s.length < 4) continue;
    if (out.includes(s)) out = out.split(s).join('****');
  }
  return out;
}

/** What to mask for a config: the values (4+ characters) and their encoded forms (6+), longest first. */
export const secretValues = (config: Record<string, string>) =>
  [...new Set(Object.values(config).flatMap((v) => (v.length >= 4 ? [v, ...encodedForms(v)] : [])))].sort(
    (a, b) => b.length - a.length,
  );

/** Percent-encoded and base64 spellings of a value of 6+ characters (each at least 6 characters long). */
export function encodedForms(value: string): string[] {
  if (value.length < 6) return [];
  const forms = new Set<string>();
  for (const url of [encodeURIComponent(value), encodeURI(value), encodeURIComponent(value).replace(/%20/g, '+')])
    if (url !== value) forms.add(url).add(url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  const bytes = Buffer.from(value, 'utf8');
  for (let k = 0; k < 3; k++) {
    // Behind k bytes of anything, the characters that only this value's bits decide.
    const b64 = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const inner = b64.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    forms.add(inner);
    forms.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((f) => f.length >= 6);
}
