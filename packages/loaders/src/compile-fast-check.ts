import { comparableTimestamp } from './comparable-timestamp.ts';
import { compileRule } from './column-rule.ts';
import type { SourceTable } from './source-table.ts';

function inOrder(earlier: string, later: string): boolean {
  if (earlier === '' || later === '') return true;
  // The contract compares the text; the table compares instants. Both must agree (equal lengths always do).
  return (
    earlier <= later &&
    (earlier.length === later.length || comparableTimestamp(earlier) <= comparableTimestamp(later))
  );
}

/**
 * The contract compiled to plain predicates (from the columns' rules): true only for rows zod
 * accepts and the table can hold; a `false` sends the row to zod, which decides and explains.
 */
export function compileFastCheck(spec: SourceTable): (cells: readonly string[]) => boolean {
  const predicates = spec.columns.map((column) => compileRule(column.rule, column.nullable));
  const names = spec.columns.map((column) => column.name);
  const ordered = spec.orderedTimestamps.map(
    ([earlier, later]) => [names.indexOf(earlier), names.indexOf(later)] as const,
  );
  return (cells) => {
    for (let index = 0; index < predicates.length; index += 1) {
      if (!(predicates[index]?.(cells[index] ?? '') ?? false)) return false;
    }
    for (const [earlier, later] of ordered)
      if (!inOrder(cells[earlier] ?? '', cells[later] ?? '')) return false;
    return spec.crossFieldRule(cells);
  };
}
