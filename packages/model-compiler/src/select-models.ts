import { ReelhouseError } from '@reelhouse/core';

import type { CompiledProject } from './compiled-model.ts';
import type { SourceVersions } from './model-state.ts';
import { matchMethod, type PreviousState } from './selector-methods.ts';

export interface SelectModelsOptions {
  /** An earlier invocation's state (`--state DIR`): enables `state:`, `result:` and `source_status:`. */
  readonly previous?: PreviousState | undefined;
  /** Selectors whose models are removed from the selection (dbt's `--exclude`), same grammar. */
  readonly exclude?: readonly string[] | undefined;
  /** Current source versions, for `source_status:fresher`. */
  readonly sourceVersions?: SourceVersions | undefined;
  /** The file each model is defined in, for `path:`. Default `models/<name>.ts`. */
  readonly modelPath?: ((name: string) => string) | undefined;
}

/**
 * Names of the models matched by dbt's selector grammar, in build order. Selectors (several
 * strings, or space-separated terms in one) are a union; comma-separated parts of a term are an
 * intersection. A part is `[@|N+|+]method:value[+|+N]`: a model name or `*` glob, `tag:`, `path:`,
 * `source:`, `config.materialized:`, `resource_type:`, `test_type:`, and against `previous`: `state:modified`,
 * `state:new`, `result:<status>`, `source_status:fresher`. `+m` adds every ancestor, `2+m` those
 * up to two levels up, `m+`/`m+1` descendants likewise, `@m` the descendants and all their
 * ancestors. `exclude` removes what it matches. No selector selects every model.
 *
 * @example
 * selectModels(project, ['+fact_viewing_session'], { exclude: ['dim_date'] });
 * selectModels(project, ['tag:fact,config.materialized:incremental']);
 */
export function selectModels(
  project: CompiledProject,
  selectors: readonly string[],
  options: SelectModelsOptions = {},
): readonly string[] {
  const graph = graphOf(project);
  const problems: string[] = [];
  const evaluate = (list: readonly string[]) => {
    const union = new Set<string>();
    for (const term of list.flatMap((selector) => selector.split(/\s+/)).filter(Boolean)) {
      const parts = term.split(',').filter(Boolean);
      let intersection: Set<string> | undefined;
      for (const part of parts) {
        const matched = evaluatePart(part, { project, graph, options, problems });
        intersection =
          intersection === undefined
            ? matched
            : new Set([...intersection].filter((name) => matched.has(name)));
      }
      for (const name of intersection ?? []) union.add(name);
    }
    return union;
  };
  const hasTerms = selectors.some((selector) => selector.trim() !== '');
  const selected = hasTerms ? evaluate(selectors) : new Set(graph.names);
  const excluded = evaluate(options.exclude ?? []);
  if (problems.length > 0) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `invalid selector(s): ${problems.join('; ')}; models: ${graph.names.join(', ')}`,
      context: { problems },
    });
  }
  return graph.names.filter((name) => selected.has(name) && !excluded.has(name));
}

interface ProjectGraph {
  readonly names: readonly string[];
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  readonly downstream: ReadonlyMap<string, readonly string[]>;
}

function graphOf(project: CompiledProject): ProjectGraph {
  const upstream = new Map(project.models.map((model) => [model.name, model.dependsOn]));
  const downstream = new Map<string, string[]>(project.models.map((model) => [model.name, []]));
  for (const model of project.models)
    for (const dependency of model.dependsOn) downstream.get(dependency)?.push(model.name);
  return { names: project.models.map((model) => model.name), upstream, downstream };
}

const partPattern = /^(@)?(?:(\d*)\+)?([^+@]+?)(?:\+(\d*))?$/;

function evaluatePart(
  part: string,
  at: {
    project: CompiledProject;
    graph: ProjectGraph;
    options: SelectModelsOptions;
    problems: string[];
  },
): Set<string> {
  const parsed = partPattern.exec(part);
  if (parsed === null) {
    at.problems.push(`'${part}' is not a selector`);
    return new Set();
  }
  const [, at_, upDepth, body = '', downDepth] = parsed;
  const colon = body.indexOf(':');
  const [method, value] = colon < 0 ? ['', body] : [body.slice(0, colon), body.slice(colon + 1)];
  const match = matchMethod(
    {
      project: at.project,
      previous: at.options.previous,
      sourceVersions: at.options.sourceVersions,
      modelPath: at.options.modelPath,
    },
    method,
    value,
  );
  if ('problem' in match) {
    at.problems.push(match.problem);
    return new Set();
  }
  // A name or tag matching nothing is a typo; a state method matching nothing is an answer.
  if (match.names.length === 0 && ['', 'fqn', 'tag', 'path', 'source'].includes(method)) {
    at.problems.push(`'${part}' matches no model`);
    return new Set();
  }
  const selected = new Set(match.names);
  const depth = (digits: string | undefined) =>
    digits === undefined || digits === '' ? Infinity : Number(digits);
  for (const root of match.names) {
    if (at_ !== undefined) {
      const descendants = reachable(root, at.graph.downstream, Infinity);
      for (const name of [root, ...descendants]) {
        selected.add(name);
        for (const ancestor of reachable(name, at.graph.upstream, Infinity)) selected.add(ancestor);
      }
      continue;
    }
    if (part.slice(0, part.indexOf(body)).includes('+'))
      for (const name of reachable(root, at.graph.upstream, depth(upDepth))) selected.add(name);
    if (part.slice(part.indexOf(body) + body.length).includes('+'))
      for (const name of reachable(root, at.graph.downstream, depth(downDepth))) selected.add(name);
  }
  return selected;
}

/** Nodes reachable from `start` along `edges` in at most `depth` steps (excluding `start`). */
function reachable(
  start: string,
  edges: ReadonlyMap<string, readonly string[]>,
  depth: number,
): Set<string> {
  const seen = new Set<string>();
  let frontier = [start];
  for (let level = 0; level < depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const node of frontier)
      for (const neighbour of edges.get(node) ?? [])
        if (!seen.has(neighbour)) {
          seen.add(neighbour);
          next.push(neighbour);
        }
    frontier = next;
  }
  return seen;
}
