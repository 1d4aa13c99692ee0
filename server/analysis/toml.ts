// A small TOML reader for pyproject.toml, Cargo.toml, hugo.toml, netlify.toml, Pipfile, fly.toml:
// tables, arrays of tables, dotted and quoted keys, strings (basic, literal, multi-line), numbers,
// booleans, dates (kept as strings), arrays and inline tables. Throws TomlError on anything else.

export class TomlError extends Error {}
type Table = Record<string, unknown>;

export function parseToml(src: string): Table {
  const s = src.replace(/^\uFEFF/, '');
  const root: Table = {};
  let cur: Table = root;
  let i = 0;
  let line = 1;
  const fail = (msg: string): never => {
    throw new TomlError(`line ${line}: ${msg}`);
  };
  const skip = (newlines: boolean) => {
    for (;;) {
      const c = s[i];
      if (c === ' ' || c === '\t' || c === '\r') i++;
      else if (c === '\n' && newlines) {
        i++;
        line++;
      } else if (c === '#') {
        while (i < s.length && s[i] !== '\n') i++;
      } else return;
    }
  };
  const key = (): string[] => {
    const parts: string[] = [];
    for (;;) {
      skip(false);
      if (s[i] === '"' || s[i] === "'") parts.push(str());
      else {
        const m = /^[A-Za-z0-9_-]+/.exec(s.slice(i, i + 256));
        if (!m) fail('expected a key');
        parts.push(m![0]);
        i += m![0].length;
      }
      skip(false);
      if (s[i] !== '.') return parts;
      i++;
    }
  };
  const str = (): string => {
    const q = s[i];
    const multi = s.startsWith(q.repeat(3), i);
    i += multi ? 3 : 1;
    if (multi && s[i] === '\n') {
      i++;
      line++;
    }
    let out = '';
    for (;;) {
      if (i >= s.length) fail('unterminated string');
      if (multi ? s.startsWith(q.repeat(3), i) && s[i + 3] !== q : s[i] === q) {
        i += multi ? 3 : 1;
        return out;
      }
      const c = s[i];
      if (c === '\n') {
        if (!multi) fail('newline in string');
        line++;
      }
      if (c === '\\' && q === '"') {
        const e = s[i + 1];
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
        if (e === 'u' || e === 'U') {
          const n = e === 'u' ? 4 : 8;
          out += String.fromCodePoint(parseInt(s.slice(i + 2, i + 2 + n), 16));
          i += 2 + n;
          continue;
        }
        if (multi && (e === '\n' || e === '\r' || e === ' ')) {
          i++;
          while (/\s/.test(s[i] ?? '')) {
            if (s[i] === '\n') line++;
            i++;
          }
          continue;
        }
        out += map[e] ?? fail(`bad escape \\${e}`);
        i += 2;
        continue;
      }
      out += c;
      i++;
    }
  };
  const value = (): unknown => {
    skip(false);
    const c = s[i];
    if (c === '"' || c === "'") return str();
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      for (;;) {
        skip(true);
        if (s[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value());
        skip(true);
        if (s[i] === ',') i++;
        else if (s[i] !== ']') fail('expected "," or "]" in array');
      }
    }
    if (c === '{') {
      i++;
      const t: Table = {};
      skip(false);
      if (s[i] === '}') {
        i++;
        return t;
      }
      for (;;) {
        const k = key();
        if (s[i] !== '=') fail('expected "=" in inline table');
        i++;
        assign(t, k, value());
        skip(false);
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return t;
        }
        fail('expected "," or "}" in inline table');
      }
    }
    const m = /^[^\s,\]}#]+(?: [0-9:.+Z-]+)?/.exec(s.slice(i, i + 128));
    if (!m) fail('expected a value');
    const raw = m![0];
    i += raw.length;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    if (/^[-+]?(\d[\d_]*)(\.\d[\d_]*)?([eE][-+]?\d+)?$/.test(raw)) return Number(raw.replace(/_/g, ''));
    if (/^(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+)$/.test(raw)) return Number(raw.replace(/_/g, ''));
    if (/^[-+]?(inf|nan)$/.test(raw)) return Number(raw.replace('inf', 'Infinity').replace(/[-+]?nan/, 'NaN'));
    if (/^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}/.test(raw)) return raw;
    return fail(`bad value "${raw.slice(0, 20)}"`);
  };
  const walk = (t: Table, path: string[], arrayLast: boolean): Table => {
    let node = t;
    for (const p of path) {
      let next = node[p];
      if (next === undefined) next = node[p] = {};
      if (Array.isArray(next)) next = next[next.length - 1];
      if (typeof next !== 'object' || next === null) fail(`key "${p}" is not a table`);
      node = next as Table;
    }
    void arrayLast;
    return node;
  };
  const assign = (t: Table, k: string[], v: unknown) => {
    const parent = walk(t, k.slice(0, -1), false);
    const last = k[k.length - 1];
    if (last in parent) fail(`duplicate key "${k.join('.')}"`);
    parent[last] = v;
  };
  for (;;) {
    skip(true);
    if (i >= s.length) return root;
    if (s[i] === '[') {
      const arr = s[i + 1] === '[';
      i += arr ? 2 : 1;
      const k = key();
      if (!s.startsWith(arr ? ']]' : ']', i)) fail('expected "]"');
      i += arr ? 2 : 1;
      if (arr) {
        const parent = walk(root, k.slice(0, -1), false);
        const last = k[k.length - 1];
        const list = (parent[last] ??= []) as unknown[];
        if (!Array.isArray(list)) fail(`"${k.join('.')}" is not an array of tables`);
        const t: Table = {};
        list.push(t);
        cur = t;
      } else cur = walk(root, k, false);
    } else {
      const k = key();
      if (s[i] !== '=') fail('expected "="');
      i++;
      assign(cur, k, value());
    }
    skip(false);
    if (i < s.length && s[i] !== '\n') fail('expected end of line');
  }
}
