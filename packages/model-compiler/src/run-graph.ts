export type NodeOutcome = 'success' | 'error';

export interface RunGraphOptions {
  /** Node names, upstream first. */
  readonly nodes: readonly string[];
  /** Dependencies of each node; names outside `nodes` are ignored (already built elsewhere). */
  readonly dependsOn: (node: string) => readonly string[];
  /** Nodes run at once at most. */
  readonly concurrency: number;
  /** Runs one node; must not throw (a thrown error counts as `error`). */
  readonly run: (node: string) => Promise<NodeOutcome>;
  /** Called for a node not run because `because` failed or was skipped, or `aborted` (the signal fired) or `fail_fast`. */
  readonly skip: (node: string, because: string) => void;
  readonly signal?: AbortSignal | undefined;
  /** After the first failure start no other node (dbt's `--fail-fast`); running ones finish. */
  readonly failFast?: boolean | undefined;
}

/**
 * Runs a DAG's nodes as soon as their upstream succeeded, up to `concurrency` at once; a failure
 * skips everything downstream of it while independent branches continue.
 */
export async function runGraph(
  options: RunGraphOptions,
): Promise<ReadonlyMap<string, NodeOutcome | 'skipped'>> {
  const inGraph = new Set(options.nodes);
  const outcome = new Map<string, NodeOutcome | 'skipped'>();
  const running = new Map<string, Promise<void>>();
  while (outcome.size < options.nodes.length) {
    let progressed = false;
    for (const node of options.nodes) {
      if (outcome.has(node) || running.has(node)) continue;
      const deps = options.dependsOn(node).filter((dep) => inGraph.has(dep));
      const blocker =
        deps.find((dep) => outcome.get(dep) === 'error' || outcome.get(dep) === 'skipped') ??
        (options.signal?.aborted === true ? 'aborted' : undefined) ??
        (options.failFast === true && [...outcome.values()].includes('error')
          ? 'fail_fast'
          : undefined);
      if (blocker !== undefined) {
        outcome.set(node, 'skipped');
        options.skip(node, blocker);
        progressed = true;
        continue;
      }
      if (
        running.size >= options.concurrency ||
        !deps.every((dep) => outcome.get(dep) === 'success')
      )
        continue;
      const task = options
        .run(node)
        .catch((): NodeOutcome => 'error')
        .then((result) => {
          outcome.set(node, result);
          running.delete(node);
        });
      running.set(node, task);
      progressed = true;
    }
    if (running.size > 0) await Promise.race(running.values());
    else if (!progressed) throw new Error('runGraph: no node can run; the graph has a cycle');
  }
  return outcome;
}
