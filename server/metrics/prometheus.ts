// A tiny in-memory Prometheus registry (counters, gauges, histograms) and the text exposition format 0.0.4.
export type Labels = Record<string, string>;
type Kind = 'counter' | 'gauge' | 'histogram';

export interface Family {
  name: string;
  help: string;
  kind: Kind;
  /** counter/gauge: labels → value. histogram: labels → bucket counts (cumulative at render), sum, count. */
  values: Map<string, { labels: Labels; value: number; buckets?: number[]; sum?: number }>;
  buckets?: number[];
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

const keyOf = (l: Labels) =>
  JSON.stringify(
    Object.keys(l)
      .sort()
      .map((k) => [k, l[k]]),
  );
const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const fmtNum = (n: number) =>
  Number.isNaN(n) ? 'NaN' : n === Infinity ? '+Inf' : n === -Infinity ? '-Inf' : String(n);

export function labelText(l: Labels): string {
  const keys = Object.keys(l);
  return keys.length ? `{${keys.map((k) => `${k}="${esc(l[k])}"`).join(',')}}` : '';
}

export class Registry {
  #families = new Map<string, Family>();

  #family(name: string, help: string, kind: Kind, buckets?: number[]): Family {
    let f = this.#families.get(name);
    if (!f) this.#families.set(name, (f = { name, help, kind, values: new Map(), buckets }));
    return f;
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    const f = this.#family(name, help, 'counter');
    const k = keyOf(labels);
    const cur = f.values.get(k);
    if (cur) cur.value += by;
    else f.values.set(k, { labels, value: by });
  }

  set(name: string, help: string, labels: Labels, value: number): void {
    this.#family(name, help, 'gauge').values.set(keyOf(labels), { labels, value });
  }

  /** Replaces every series of a gauge family (for snapshots such as "replicas by state"). */
  replace(name: string, help: string, series: { labels: Labels; value: number }[]): void {
    const f = this.#family(name, help, 'gauge');
    f.values.clear();
    for (const s of series) f.values.set(keyOf(s.labels), s);
  }

  observe(name: string, help: string, labels: Labels, value: number, buckets = DEFAULT_BUCKETS): void {
    const f = this.#family(name, help, 'histogram', buckets);
    const k = keyOf(labels);
    let cur = f.values.get(k);
    if (!cur) f.values.set(k, (cur = { labels, value: 0, buckets: f.buckets!.map(() => 0), sum: 0 }));
    cur.value++;
    cur.sum! += value;
    const i = f.buckets!.findIndex((b) => value <= b);
    if (i >= 0) cur.buckets![i]++;
  }

  families(): Family[] {
    return [...this.#families.values()];
  }
}

/** Renders families (registry ones plus any computed at scrape time) in the Prometheus text format. */
export function renderPrometheus(families: readonly Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.kind}`);
    for (const s of f.values.values()) {
      if (f.kind !== 'histogram') {
        out.push(`${f.name}${labelText(s.labels)} ${fmtNum(s.value)}`);
        continue;
      }
      let cum = 0;
      f.buckets!.forEach((b, i) => {
        cum += s.buckets![i];
        out.push(`${f.name}_bucket${labelText({ ...s.labels, le: fmtNum(b) })} ${cum}`);
      });
      out.push(`${f.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.value}`);
      out.push(
        `${f.name}_sum${labelText(s.labels)} ${fmtNum(s.sum!)}`,
        `${f.name}_count${labelText(s.labels)} ${s.value}`,
      );
    }
  }
  return out.join('\n') + '\n';
}
