import type { CompiledModel } from './compiled-model.ts';
import type { GraphProblem } from './compile-project.ts';

/** Materialization settings that cannot work with the model's contract (the types cannot see them). */
export function configProblems(model: CompiledModel): GraphProblem[] {
  const materialization = model.materialization;
  if (materialization.type !== 'incremental') return [];
  const problem = (message: string): GraphProblem => ({
    model: model.name,
    problem: 'invalid_config',
    message: `model "${model.name}": ${message}`,
  });
  const columns = new Set(Object.keys(model.contract.columns));
  const problems: GraphProblem[] = [];
  if (
    materialization.timeColumn === undefined &&
    materialization.strategy !== 'append' &&
    materialization.uniqueKey.length === 0
  ) {
    problems.push(problem(`strategy ${materialization.strategy} needs a uniqueKey`));
  }
  for (const key of materialization.uniqueKey)
    if (!columns.has(key))
      problems.push(problem(`uniqueKey column "${key}" is not in the contract`));
  if (materialization.timeColumn !== undefined && !columns.has(materialization.timeColumn))
    problems.push(problem(`timeColumn "${materialization.timeColumn}" is not in the contract`));
  return problems;
}
