// The dependency map as server-rendered SVG: services in columns by dependency depth, arrows from user to used.
export interface MapNode {
  name: string;
  type: string;
  runtime: string;
}
export interface MapEdge {
  from: string;
  to: string;
  reason: string;
}

const W = 160;
const H = 46;
const COL = 230;
const ROW = 66;
const PAD = 16;

/** Depth = longest chain of dependencies below a node (0 for leaves such as databases); cycles cut. */
export function layers(nodes: MapNode[], edges: MapEdge[]): Map<string, number> {
  const out = new Map<string, number>();
  const deps = (n: string) => edges.filter((e) => e.from === n && e.to !== n).map((e) => e.to);
  const visit = (n: string, path: Set<string>): number => {
    if (out.has(n)) return out.get(n)!;
    if (path.has(n)) return 0;
    path.add(n);
    const d =
      Math.max(
        -1,
        ...deps(n)
          .filter((m) => nodes.some((x) => x.name === m))
          .map((m) => visit(m, path)),
      ) + 1;
    path.delete(n);
    out.set(n, d);
    return d;
  };
  for (const n of nodes) visit(n.name, new Set());
  return out;
}

export function DependencyMap(props: { nodes: MapNode[]; edges: MapEdge[] }) {
  if (props.nodes.length === 0) return <p class="empty">No services detected.</p>;
  const depth = layers(props.nodes, props.edges);
  const maxDepth = Math.max(...depth.values());
  const columns: MapNode[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (const n of props.nodes) columns[maxDepth - depth.get(n.name)!].push(n); // users left, used right
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, ci) => col.forEach((n, ri) => pos.set(n.name, { x: PAD + ci * COL, y: PAD + ri * ROW })));
  const width = PAD * 2 + (columns.length - 1) * COL + W;
  const height = PAD * 2 + (Math.max(...columns.map((c) => c.length)) - 1) * ROW + H;
  return (
    <svg
      class="topology"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label="Dependency map"
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#98a2b3" />
        </marker>
      </defs>
      {props.edges
        .filter((e) => pos.has(e.from) && pos.has(e.to) && e.from !== e.to)
        .map((e) => {
          const a = pos.get(e.from)!;
          const b = pos.get(e.to)!;
          const [x1, y1, x2, y2] = [a.x + W, a.y + H / 2, b.x, b.y + H / 2];
          const mid = (x1 + x2) / 2;
          return (
            <path
              class="edge"
              d={`M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2 - 2} ${y2}`}
              marker-end="url(#arrow)"
            >
              <title>{`${e.from} → ${e.to}: ${e.reason}`}</title>
            </path>
          );
        })}
      {props.nodes.map((n) => {
        const p = pos.get(n.name)!;
        return (
          <g class="node" transform={`translate(${p.x},${p.y})`} data-node={n.name}>
            <rect width={W} height={H} rx="8" />
            <text x="12" y="19">
              {n.name}
            </text>
            <text x="12" y="36" class="sub">{`${n.type} · ${n.runtime}`}</text>
          </g>
        );
      })}
    </svg>
  );
}
