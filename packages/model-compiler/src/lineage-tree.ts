import { ReelhouseError } from '@reelhouse/core';

import type { ColumnLineage } from './column-lineage.ts';
import type { Exposure } from './exposure.ts';

/** One column in a lineage tree, with the columns (or exposures) one step further. */
export interface LineageTreeNode {
  /** `model.column`, `raw.table.column`, or `exposure:<name>` downstream. */
  readonly name: string;
  readonly children: readonly LineageTreeNode[];
}

/** The columns `column` (`model.column`) is computed from, recursively down to `raw`. */
export function upstreamTree(lineage: ColumnLineage, column: string): LineageTreeNode {
  checkColumn(lineage, column);
  const walk = (name: string, path: ReadonlySet<string>): LineageTreeNode => ({
    name,
    children: (lineage.columns[name] ?? [])
      .filter((parent) => !path.has(parent))
      .map((parent) => walk(parent, new Set([...path, parent]))),
  });
  return walk(column, new Set([column]));
}

/** The model columns computed from `column` (a model's or a raw one), recursively, and the exposures that read each. */
export function downstreamTree(
  lineage: ColumnLineage,
  column: string,
  exposures: readonly Exposure[] = [],
): LineageTreeNode {
  const readers = new Map<string, string[]>();
  for (const [child, parents] of Object.entries(lineage.columns))
    for (const parent of parents) readers.set(parent, [...(readers.get(parent) ?? []), child]);
  // A raw column read by some model may start a downstream tree too.
  if (!readers.has(column)) checkColumn(lineage, column);
  const walk = (name: string, path: ReadonlySet<string>): LineageTreeNode => ({
    name,
    children: [
      ...(readers.get(name) ?? [])
        .filter((child) => !path.has(child))
        .map((child) => walk(child, new Set([...path, child]))),
      ...exposureNodes(exposures.filter((exposure) => exposure.columns.includes(name))),
    ],
  });
  return walk(column, new Set([column]));
}

/** Exposures as tree nodes, a panel under its page when both are there. */
function exposureNodes(reading: readonly Exposure[]): LineageTreeNode[] {
  const names = new Set(reading.map((exposure) => exposure.name));
  const node = (exposure: Exposure): LineageTreeNode => ({
    name: `exposure:${exposure.name}`,
    children: reading.filter((child) => child.parent === exposure.name).map(node),
  });
  return reading
    .filter((exposure) => exposure.parent === undefined || !names.has(exposure.parent))
    .map(node);
}

/** Every `raw.table.column` a tree reaches, sorted. */
export function rawColumns(tree: LineageTreeNode): string[] {
  const found = new Set<string>();
  const visit = (node: LineageTreeNode): void => {
    if (node.name.startsWith('raw.')) found.add(node.name);
    node.children.forEach(visit);
  };
  visit(tree);
  return [...found].sort();
}

/**
 * The extractor's `raw.<t>__history` holds every extracted version of the rows whose current
 * version is in `raw.<t>`, with the same columns plus `_op`: `raw.users__history.plan` is the
 * history of `raw.users.plan`. Undefined for other columns.
 */
export function currentRowsColumn(rawColumn: string): string | undefined {
  const match = /^raw\.(\w+)__history\.(\w+)$/.exec(rawColumn);
  if (!match || match[2] === '_op') return undefined;
  return `raw.${match[1]}.${match[2]}`;
}

/** A tree as indented text (`├──`), raw history columns annotated with the column they version. */
export function renderLineageTree(tree: LineageTreeNode): string {
  const lines = [tree.name];
  const visit = (node: LineageTreeNode, prefix: string): void => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      const current = currentRowsColumn(child.name);
      const note = current === undefined ? '' : `  (history of ${current})`;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${child.name}${note}`);
      visit(child, `${prefix}${last ? '    ' : '│   '}`);
    });
  };
  visit(tree, '');
  return lines.join('\n');
}

function checkColumn(lineage: ColumnLineage, column: string): void {
  if (column in lineage.columns) return;
  const [model] = column.split('.');
  const ofModel = Object.keys(lineage.columns).filter((name) => name.startsWith(`${model}.`));
  const models = [...new Set(Object.keys(lineage.columns).map((name) => name.split('.')[0]))];
  throw new ReelhouseError({
    code: 'not_found',
    message:
      ofModel.length > 0
        ? `model ${model} has no column "${column.slice((model ?? '').length + 1)}"; its columns: ${ofModel.map((name) => name.split('.')[1]).join(', ')}`
        : `no model "${model}" (expected model.column); models: ${models.join(', ')}`,
    context: { column },
  });
}
