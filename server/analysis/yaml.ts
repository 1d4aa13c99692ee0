// A small YAML subset reader, enough for compose files, pnpm-workspace.yaml, _config.yml, mkdocs.yml:
// block maps and lists, plain/quoted scalars, flow [..] and {..}, comments, block scalars (| >),
// anchors, aliases and `<<` merge keys. Throws YamlError (with a line number) on anything it cannot read.
import { parseFlow, scalar, stripComment } from './yaml-scalar.ts';

export class YamlError extends Error {}

interface Line {
  indent: number;
  text: string;
  no: number;
}
type Value = unknown;

export function parseYaml(src: string): Value {
  const raw = src.replace(/^\uFEFF/, '').split(/\r?\n/);
  const lines: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    const l = raw[i];
    if (/^\s*\t/.test(l) && l.trim() !== '') throw new YamlError(`line ${i + 1}: tab indentation`);
    const text = stripComment(l).trimEnd();
    const body = text.trimStart();
    if (body === '' || body === '---' || body === '...' || body.startsWith('%')) continue;
    lines.push({ indent: text.length - body.length, text: body, no: i });
  }
  const p = new Parser(lines, raw);
  if (lines.length === 0) return null;
  const v = p.node(0);
  if (p.i < lines.length) throw new YamlError(`line ${lines[p.i].no + 1}: unexpected indentation`);
  return v;
}

const KEY_RE = /^((?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"\[\]{},#&*!|>-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s+|$)/;

/** Keys are matched on the head of a line only: bounded work even for huge single-line values. */
const KEY = { test: (t: string) => KEY_RE.test(t.slice(0, 1024)), exec: (t: string) => KEY_RE.exec(t.slice(0, 1024)) };

class Parser {
  i = 0;
  anchors = new Map<string, Value>();
  constructor(
    private lines: Line[],
    private raw: string[],
  ) {}

  node(minIndent: number): Value {
    const l = this.lines[this.i];
    if (!l || l.indent < minIndent) return null;
    if (l.text === '-' || l.text.startsWith('- ')) return this.seq(l.indent);
    if (KEY.test(l.text)) return this.map(l.indent);
    this.i++;
    return this.inline(l.text, l);
  }

  seq(indent: number): Value[] {
    const out: Value[] = [];
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      if (l.indent !== indent || !(l.text === '-' || l.text.startsWith('- '))) break;
      const rest = l.text.slice(1).trimStart();
      if (rest === '') {
        this.i++;
        out.push(this.node(indent + 1));
        continue;
      }
      // Re-read the rest of the line as a virtual line indented past the dash.
      this.lines[this.i] = { indent: indent + l.text.length - rest.length, text: rest, no: l.no };
      out.push(this.node(indent + 1));
    }
    return out;
  }

  map(indent: number): Record<string, Value> {
    const out: Record<string, Value> = {};
    const merges: Value[] = [];
    while (this.i < this.lines.length) {
      const l = this.lines[this.i];
      if (l.indent !== indent) {
        if (l.indent > indent) throw new YamlError(`line ${l.no + 1}: bad indentation`);
        break;
      }
      const m = KEY.exec(l.text);
      if (!m) throw new YamlError(`line ${l.no + 1}: expected "key: value"`);
      const key = String(scalar(m[1]));
      let rest = l.text.slice(m[0].length).trim();
      this.i++;
      let anchor: string | null = null;
      const am = /^&(\S+)\s*/.exec(rest);
      if (am) {
        anchor = am[1];
        rest = rest.slice(am[0].length);
      }
      let v: Value;
      if (rest === '') {
        const next = this.lines[this.i];
        if (next && next.indent > indent) v = this.node(indent + 1);
        else if (next && next.indent === indent && (next.text === '-' || next.text.startsWith('- ')))
          v = this.seq(indent);
        else v = null;
      } else if (/^[|>]/.test(rest)) v = this.blockScalar(rest, l, indent);
      else v = this.inline(rest, l, indent);
      if (anchor) this.anchors.set(anchor, v);
      if (key === '<<') merges.push(...(Array.isArray(v) ? v : [v]));
      else out[key] = v;
    }
    for (const m of merges)
      if (m && typeof m === 'object' && !Array.isArray(m))
        for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
    return out;
  }

  /** A scalar, alias or flow collection starting on line l; flow collections and plain scalars may continue on deeper lines. */
  inline(text: string, l: Line, parentIndent = -1): Value {
    if (text.startsWith('*')) {
      const name = text.slice(1).trim();
      if (!this.anchors.has(name)) throw new YamlError(`line ${l.no + 1}: unknown alias *${name}`);
      return this.anchors.get(name);
    }
    let s = text;
    if (
      s.startsWith('[') ||
      s.startsWith('{') ||
      (s.startsWith('"') && !/"\s*$/.test(s.slice(1))) ||
      (s.startsWith("'") && !/'\s*$/.test(s.slice(1)))
    ) {
      while (!balanced(s) && this.i < this.lines.length) s += ' ' + this.lines[this.i++].text;
      if (s.startsWith('[') || s.startsWith('{')) {
        try {
          return parseFlow(s);
        } catch (e) {
          throw new YamlError(`line ${l.no + 1}: ${(e as Error).message}`);
        }
      }
    } else {
      while (
        this.i < this.lines.length &&
        this.lines[this.i].indent > parentIndent &&
        parentIndent >= 0 &&
        !KEY.test(this.lines[this.i].text) &&
        !this.lines[this.i].text.startsWith('- ')
      )
        s += ' ' + this.lines[this.i++].text;
    }
    try {
      return scalar(s);
    } catch (e) {
      throw new YamlError(`line ${l.no + 1}: ${(e as Error).message}`);
    }
  }

  blockScalar(header: string, l: Line, indent: number): string {
    const folded = header.startsWith('>');
    const keep = header.includes('+');
    const strip = header.includes('-');
    const body: string[] = [];
    let r = l.no + 1;
    let blockIndent = -1;
    for (; r < this.raw.length; r++) {
      const line = this.raw[r];
      if (line.trim() === '') {
        body.push('');
        continue;
      }
      const ind = line.length - line.trimStart().length;
      if (ind <= indent) break;
      if (blockIndent < 0) blockIndent = ind;
      body.push(line.slice(Math.min(ind, blockIndent)));
    }
    while (this.i < this.lines.length && this.lines[this.i].no < r) this.i++;
    while (!keep && body.length && body[body.length - 1] === '') body.pop();
    const text = folded ? body.join('\n').replace(/([^\n])\n(?=[^\n ])/g, '$1 ') : body.join('\n');
    return strip ? text : text + '\n';
  }
}

function balanced(s: string): boolean {
  let depth = 0;
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === '\\' && q === '"') i++;
      else if (c === q) q = null;
      continue;
    }
    if (c === '"' || c === "'") q = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth <= 0 && q === null;
}
