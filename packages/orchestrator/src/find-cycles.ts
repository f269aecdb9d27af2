/**
 * Finds the cycles of a directed graph given as node → upstream nodes; each cycle is reported once
 * as a path that starts and ends at the same node.
 */
export function findCycles<Id extends string>(upstreamOf: ReadonlyMap<Id, readonly Id[]>): Id[][] {
  const cycles: Id[][] = [];
  const reported = new Set<string>();
  const state = new Map<Id, 'visiting' | 'done'>();
  const path: Id[] = [];
  const visit = (node: Id): void => {
    state.set(node, 'visiting');
    path.push(node);
    for (const next of upstreamOf.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === 'visiting') {
        const cycle = path.slice(path.indexOf(next)).reverse();
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          cycles.push([...cycle, cycle[0] ?? next]);
        }
      } else if (seen === undefined) {
        visit(next);
      }
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of upstreamOf.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
