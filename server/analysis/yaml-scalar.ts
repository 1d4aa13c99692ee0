// Scalars, comments and flow collections for the YAML subset reader.

/** Drops a trailing `# comment` (a # at the start or after whitespace, outside quotes). */
export function stripComment(line: string): string {
  let q: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = null;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s:\[{,-]/.test(line[i - 1]))) q = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', '0': '\0', ' ': ' ' };

/** A single scalar: quoted strings unescaped, null/booleans/numbers typed, anything else a string. */
export function scalar(text: string): unknown {
  const s = text.trim();
  if (s.startsWith('"')) {
    if (!s.endsWith('"') || s.length < 2) throw new Error('unterminated double-quoted string');
    return s
      .slice(1, -1)
      .replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e: string) =>
        e.length > 1 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (ESC[e] ?? e),
      );
  }
  if (s.startsWith("'")) {
    if (!s.endsWith("'") || s.length < 2) throw new Error('unterminated single-quoted string');
    return s.slice(1, -1).replace(/''/g, "'");
  }
  const t = s.replace(/^!!?\w+\s+/, ''); // tags like !!str are ignored
  if (t === '' || t === '~' || t === 'null' || t === 'Null' || t === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(t)) return true;
  if (/^(false|False|FALSE)$/.test(t)) return false;
  if (/^[-+]?(0|[1-9][0-9_]*)$/.test(t)) return Number(t.replace(/_/g, ''));
  if (/^[-+]?(\d+\.\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

/** Parses a flow collection: `[a, "b", {c: d}]` or `{a: 1, b: [x]}`. */
export function parseFlow(src: string): unknown {
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i])) i++;
  };
  const value = (): unknown => {
    ws();
    const c = src[i];
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      for (;;) {
        ws();
        if (src[i] === ']') {
          i++;
          return out;
        }
        out.push(value());
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== ']') throw new Error(`expected "," or "]" in flow list`);
      }
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      for (;;) {
        ws();
        if (src[i] === '}') {
          i++;
          return out;
        }
        const k = String(atom(true));
        ws();
        let v: unknown = null;
        if (src[i] === ':') {
          i++;
          v = value();
        }
        out[k] = v;
        ws();
        if (src[i] === ',') i++;
        else if (src[i] !== '}') throw new Error(`expected "," or "}" in flow map`);
      }
    }
    return atom(false);
  };
  const atom = (_isKey: boolean): unknown => {
    ws();
    const start = i;
    const q = src[i];
    if (q === '"' || q === "'") {
      i++;
      while (i < src.length && src[i] !== q) {
        if (q === '"' && src[i] === '\\') i++;
        else if (q === "'" && src[i] === "'" && src[i + 1] === "'") i++;
        i++;
      }
      if (i >= src.length) throw new Error('unterminated string in flow collection');
      i++;
      return scalar(src.slice(start, i));
    }
    while (i < src.length && !/[,\]}]/.test(src[i]) && !(src[i] === ':' && /[\s,\]}]/.test(src[i + 1] ?? ' '))) i++;
    return scalar(src.slice(start, i));
  };
  const v = value();
  ws();
  if (i < src.length) throw new Error('trailing characters after flow collection');
  return v;
}
