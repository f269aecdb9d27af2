import type { Command } from 'commander';

import {
  columnLineage,
  currentRowsColumn,
  downstreamTree,
  rawColumns,
  renderLineageTree,
  upstreamTree,
  type LineageTreeNode,
} from '@reelhouse/model-compiler';
import { dashboardExposures } from '@reelhouse/metrics';
import { models } from '@reelhouse/models';

import type { CliContext } from '../cli-context.ts';
import type { SelectCommand } from '../cli-program.ts';
import { exitCodes } from '../exit-codes.ts';

export interface ModelsLineageOptions {
  /** `model.column`. */
  readonly column: string;
  /** Follow the readers of the column (up to the exposures) instead of its origins. */
  readonly downstream: boolean;
  readonly json: boolean;
}

/** `models lineage --column model.column [--downstream]`: column-level lineage, offline. */
export function registerLineageCommand(parent: Command, select: SelectCommand): void {
  parent
    .command('lineage')
    .description(
      "a column's lineage: its upstream columns down to raw (or, --downstream, its readers up to the exposures)",
    )
    .requiredOption('--column <model.column>', 'the column, e.g. fact_viewing_session.user_key')
    .option('--downstream', 'the model columns and dashboard exposures computed from it')
    .option('--json', 'print the tree as JSON')
    .action((values: Record<string, unknown>) => {
      const options: ModelsLineageOptions = {
        column: String(values['column']),
        downstream: values['downstream'] === true,
        json: values['json'] === true,
      };
      select({
        name: 'models lineage',
        options,
        execute: (context) => modelsLineageCommand(options, context),
      });
    });
}

export async function modelsLineageCommand(
  options: ModelsLineageOptions,
  context: CliContext,
): Promise<number> {
  const lineage = await columnLineage(models);
  const tree = options.downstream
    ? downstreamTree(lineage, options.column, await dashboardExposures())
    : upstreamTree(lineage, options.column);
  if (options.json) {
    context.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
    return exitCodes.success;
  }
  context.stdout.write(`${renderLineageTree(tree)}\n`);
  if (!options.downstream) context.stdout.write(renderRawSummary(tree));
  return exitCodes.success;
}

/** The raw columns a tree reaches, by table; a history table also names the table it versions. */
export function renderRawSummary(tree: LineageTreeNode): string {
  const byTable = new Map<string, string[]>();
  for (const column of rawColumns(tree)) {
    const table = column.slice(0, column.lastIndexOf('.'));
    byTable.set(table, [...(byTable.get(table) ?? []), column.slice(table.length + 1)]);
  }
  if (byTable.size === 0) return 'reads no raw column (constants only)\n';
  const lines = [...byTable].map(([table, columns]) => {
    const current = columns.flatMap((column) => currentRowsColumn(`${table}.${column}`) ?? []);
    const history =
      current.length === 0 ? '' : `\n    every extracted version of ${current.join(', ')}`;
    return `  ${table}: ${columns.join(', ')}${history}`;
  });
  return `raw columns:\n${lines.join('\n')}\n`;
}
