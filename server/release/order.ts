// Start order from the dependency map (pure): services start in layers, dependencies first.

export class CycleError extends Error {}

/**
 * Layers of service names: every service's dependencies are in earlier layers. Dependencies on names
 * outside `services` are ignored. A cycle throws a CycleError naming it (e.g. "a → b → a").
 */
export function startLayers(services: string[], deps: { from: string; to: string }[]): string[][] {
  const names = new Set(services);
  const needs = new Map(services.map((s) => [s, new Set<string>()]));
  for (const d of deps) if (names.has(d.from) && names.has(d.to) && d.from !== d.to) needs.get(d.from)!.add(d.to);
  const layers: string[][] = [];
  const done = new Set<string>();
  while (done.size < names.size) {
    const layer = services.filter((s) => !done.has(s) && [...needs.get(s)!].every((n) => done.has(n)));
    if (layer.length === 0)
      throw new CycleError(
        `dependency cycle: ${findCycle(
          services.filter((s) => !done.has(s)),
          needs,
        ).join(' → ')}`,
      );
    layer.sort();
    for (const s of layer) done.add(s);
    layers.push(layer);
  }
  return layers;
}

function findCycle(left: string[], needs: Map<string, Set<string>>): string[] {
  const rest = new Set(left);
  const path: string[] = [];
  let cur = left.sort()[0];
  while (!path.includes(cur)) {
    path.push(cur);
    cur = [...needs.get(cur)!].filter((n) => rest.has(n)).sort()[0];
  }
  return [...path.slice(path.indexOf(cur)), cur];
}

/** The services a service depends on, transitively. */
export function dependenciesOf(service: string, deps: { from: string; to: string }[]): Set<string> {
  const out = new Set<string>();
  const stack = [service];
  while (stack.length) {
    const s = stack.pop()!;
    for (const d of deps)
      if (d.from === s && !out.has(d.to) && d.to !== service) {
        out.add(d.to);
        stack.push(d.to);
      }
  }
  return out;
}
