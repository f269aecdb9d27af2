import { ReelhouseError } from '@reelhouse/core';

import type { CompiledProject } from './compiled-model.ts';

export interface SelectModelsOptions {
  /** The manifest of an earlier build (`manifest.json`): enables `state:modified`. */
  readonly previous?:
    | { readonly models: readonly { readonly name: string; readonly fingerprint: string }[] }
    | undefined;
}

/**
 * Names of the models matched by dbt-style selectors, in build order: `m`, `+m` (with its
 * ancestors), `m+` (with its descendants), `+m+`, `tag:x`; several selectors (or space/comma
 * separated ones in one string) are a union; `state:modified` (with `previous`) matches models new
 * or changed since that manifest, so `state:modified+` rebuilds only what a change affects (slim CI).
 * No selector selects every model.
 *
 * @example
 * selectModels(project, ['+fact_viewing_session', 'tag:daily']);
 */
export function selectModels(
  project: CompiledProject,
  selectors: readonly string[],
  options: SelectModelsOptions = {},
): readonly string[] {
  const terms = selectors
    .flatMap((selector) => selector.split(/[\s,]+/))
    .filter((term) => term.length > 0);
  if (terms.length === 0) return project.models.map((model) => model.name);
  const upstream = new Map(project.models.map((model) => [model.name, model.dependsOn]));
  const downstream = new Map<string, string[]>(project.models.map((model) => [model.name, []]));
  for (const model of project.models)
    for (const dependency of model.dependsOn) downstream.get(dependency)?.push(model.name);
  const selected = new Set<string>();
  const unknown: string[] = [];
  for (const term of terms) {
    const roots = matchRoots(project, { term, previous: options.previous });
    if (roots === undefined) {
      unknown.push(term);
      continue;
    }
    for (const root of roots) {
      selected.add(root);
      if (term.startsWith('+')) for (const name of reachable(root, upstream)) selected.add(name);
      if (term.endsWith('+')) for (const name of reachable(root, downstream)) selected.add(name);
    }
  }
  if (unknown.length > 0) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `unknown selector(s): ${unknown.join(', ')}${unknown.some((term) => term.includes('state:modified')) ? ' (state:modified needs the manifest of an earlier build)' : ''}; models: ${project.models.map((m) => m.name).join(', ')}`,
      context: { selectors: unknown },
    });
  }
  return project.models.map((model) => model.name).filter((name) => selected.has(name));
}

function matchRoots(
  project: CompiledProject,
  match: { term: string; previous: SelectModelsOptions['previous'] },
): string[] | undefined {
  const bare = match.term.replace(/^\+/, '').replace(/\+$/, '');
  if (bare === 'state:modified') {
    if (match.previous === undefined) return undefined;
    const before = new Map(match.previous.models.map((model) => [model.name, model.fingerprint]));
    return project.models
      .filter((model) => before.get(model.name) !== model.fingerprint)
      .map((model) => model.name);
  }
  if (bare.startsWith('tag:')) {
    const tag = bare.slice('tag:'.length);
    const tagged = project.models
      .filter((model) => model.tags.includes(tag))
      .map((model) => model.name);
    return tagged.length > 0 ? tagged : undefined;
  }
  return project.models.some((model) => model.name === bare) ? [bare] : undefined;
}

function reachable(start: string, edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>();
  const pending = [...(edges.get(start) ?? [])];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(edges.get(next) ?? []));
  }
  return seen;
}
