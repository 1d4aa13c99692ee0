// Service names: unique DNS labels (a–z, 0–9, "-", starting with a letter, at most 63, not ending with "-").

export function dnsLabel(raw: string, fallback = 'app'): string {
  let s = raw
    .toLowerCase()
    .replace(/^@[^/]+\//, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (s && !/^[a-z]/.test(s)) s = `s-${s}`;
  s = s.slice(0, 63).replace(/-+$/, '');
  return s || fallback;
}

/** Assigns unique labels in order; a clash gets its parent folder as prefix, then a number. */
export function uniqueNames(items: { hint: string; parent?: string }[]): string[] {
  const used = new Set<string>();
  return items.map(({ hint, parent }) => {
    let n = dnsLabel(hint);
    if (used.has(n) && parent) n = dnsLabel(`${parent}-${n}`);
    const base = n;
    for (let i = 2; used.has(n); i++) n = dnsLabel(`${base.slice(0, 60 - String(i).length)}-${i}`);
    used.add(n);
    return n;
  });
}
