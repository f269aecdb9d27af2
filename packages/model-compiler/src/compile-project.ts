import { ReelhouseError } from '@reelhouse/core';

import type { CompiledModel, CompiledProject } from './compiled-model.ts';
import { configProblems } from './config-problems.ts';
import { compileModel } from './compile-model.ts';
import type { AnyModel } from './define-model.ts';
import { findCycles, topologicalOrder } from './graph-order.ts';
import { createOfflineKysely } from './offline-kysely.ts';

export interface CompileProjectOptions {
  /** Schema the models are published to and read from. Default `trusted`. */
  readonly targetSchema?: string;
}

/** One problem found in a project's graph, named after the model it concerns. */
export interface GraphProblem {
  readonly model: string;
  readonly problem:
    'duplicate_name' | 'unknown_reference' | 'cycle' | 'select_failed' | 'invalid_config';
  readonly message: string;
}

/**
 * Compiles every model offline (no connection) into plain frozen data in topological order.
 * Throws one `graph_invalid` error listing every duplicate name, unknown reference, cycle and
 * incremental setting naming a column the contract lacks.
 *
 * @example
 * const project = compileProject([stg_users, dim_user]);
 * project.models.map((m) => m.name); // ['stg_users', 'dim_user']
 * project.models[1].sql; // select ... from "trusted"."stg_users" as "u"
 */
export function compileProject(
  models: readonly AnyModel[],
  options: CompileProjectOptions = {},
): CompiledProject {
  const targetSchema = options.targetSchema ?? 'trusted';
  const db = createOfflineKysely();
  const problems: GraphProblem[] = [];
  const compiled = new Map<string, CompiledModel>();
  const names = new Set(models.map((model) => model.name));
  for (const model of models) {
    if (compiled.has(model.name)) {
      problems.push({
        model: model.name,
        problem: 'duplicate_name',
        message: `model "${model.name}" is defined more than once`,
      });
      continue;
    }
    try {
      compiled.set(
        model.name,
        compileModel(model, {
          db,
          resolver: {
            ref: (name) => `${targetSchema}.${name}`,
            source: (name) => name,
            self: `${targetSchema}.${model.name}`,
          },
          relation: `${targetSchema}.${model.name}`,
        }),
      );
    } catch (error) {
      problems.push({
        model: model.name,
        problem: 'select_failed',
        message: `model "${model.name}": ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  for (const model of compiled.values()) {
    for (const dependency of model.dependsOn) {
      if (!names.has(dependency))
        problems.push({
          model: model.name,
          problem: 'unknown_reference',
          message: `model "${model.name}" references "${dependency}", which is not in the project`,
        });
    }
  }
  for (const model of compiled.values()) problems.push(...configProblems(model));
  const graph = new Map([...compiled].map(([name, model]) => [name, model.dependsOn]));
  for (const cycle of findCycles(graph)) {
    problems.push({
      model: cycle[0] ?? '',
      problem: 'cycle',
      message: `cycle: ${cycle.join(' → ')} (each model reads the next)`,
    });
  }
  if (problems.length > 0) {
    throw new ReelhouseError({
      code: 'graph_invalid',
      message: `the model graph has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
      context: { problems },
    });
  }
  const ordered = topologicalOrder(graph).flatMap((name) => compiled.get(name) ?? []);
  return Object.freeze({ kind: 'compiled_project', targetSchema, models: Object.freeze(ordered) });
}
