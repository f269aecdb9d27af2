/** A dependency graph: each node name maps to the names it depends on. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** Every cycle of the graph as a chain that returns to its start, each node depending on the next: `['a', 'b', 'a']`. */
export function findCycles(graph: DependencyGraph): string[][] {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/** Nodes upstream first; ties broken by name so the order is stable. Assumes an acyclic graph. */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const remaining = new Map(
    [...graph].map(([node, deps]) => [node, new Set(deps.filter((dep) => graph.has(dep)))]),
  );
  const order: string[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining]
      .filter(([, deps]) => deps.size === 0)
      .map(([node]) => node)
      .sort();
    if (ready.length === 0) throw new Error('topologicalOrder: the graph has a cycle');
    for (const node of ready) {
      order.push(node);
      remaining.delete(node);
    }
    for (const deps of remaining.values()) for (const node of ready) deps.delete(node);
  }
  return order;
}
