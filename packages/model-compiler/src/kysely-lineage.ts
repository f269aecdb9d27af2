import {
  AliasNode,
  ColumnNode,
  IdentifierNode,
  createQueryId,
  RawNode,
  ReferenceNode,
  SelectQueryNode,
  TableNode,
  type OperationNode,
} from 'kysely';

import { InlineValuesQueryCompiler } from './inline-values-query-compiler.ts';
import {
  closedShape,
  lineageError,
  setOperationShape,
  unionOrigins,
  type LineageScope,
  type Origins,
  type RelationShape,
} from './lineage-scope.ts';
import { sqlExpressionOrigins, sqlFromItems, sqlQueryShape } from './sql-text-lineage.ts';

/**
 * The output columns of a compiled Kysely select, each with the columns of the models and `raw`
 * sources it is computed from, found by walking the operation tree. Raw SQL fragments (`sql```)
 * are compiled back to text and read by PostgreSQL's own parser (`sql-text-lineage.ts`).
 */
export function queryShape(node: OperationNode, scope: LineageScope): RelationShape {
  if (SelectQueryNode.is(node)) return selectShape(node, scope);
  if (RawNode.is(node)) return sqlQueryShape(nodeSql(node), scope);
  throw lineageError(`unsupported query node ${node.kind}`);
}

function selectShape(node: SelectQueryNode, outer: LineageScope): RelationShape {
  // Common table expressions cover the whole statement, set operation branches included.
  const statement = outer.child();
  for (const cte of node.with?.expressions ?? []) {
    const shape = queryShape(cte.expression, statement);
    const rename = cte.name.columns?.map((column) => column.column.name);
    statement.addCte(
      cte.name.table.table.identifier.name,
      shape.kind === 'closed' ? closedShape([...shape.columns], rename) : shape,
    );
  }
  const scope = statement.child();
  for (const from of node.from?.froms ?? []) addFromItem(from, scope);
  for (const join of node.joins ?? []) addFromItem(join.table, scope);
  const columns: [string, Origins][] = [];
  for (const { selection } of node.selections ?? [])
    columns.push(...selectionColumns(selection, scope));
  const shape = closedShape(columns);
  const branches = (node.setOperations ?? []).map((op) => queryShape(op.expression, statement));
  return branches.length === 0 ? shape : setOperationShape([shape, ...branches]);
}

/**
 * The columns a select's conditions read (join `on`, `where`, `group by`, `having`) at its top
 * level: what it needs to run, beyond the columns its values come from.
 */
export function conditionOrigins(node: OperationNode, outer: LineageScope): Origins {
  if (!SelectQueryNode.is(node)) return new Set();
  const scope = outer.child();
  for (const cte of node.with?.expressions ?? [])
    scope.addCte(cte.name.table.table.identifier.name, queryShape(cte.expression, scope));
  for (const from of node.from?.froms ?? []) addFromItem(from, scope);
  for (const join of node.joins ?? []) addFromItem(join.table, scope);
  const conditions = [
    ...(node.joins ?? []).flatMap((join) => join.on ?? []),
    ...[node.where, node.groupBy, node.having].filter((c) => c !== undefined),
  ];
  return unionOrigins(conditions.map((condition) => expressionOrigins(condition, scope)));
}

function addFromItem(node: OperationNode, scope: LineageScope): void {
  if (TableNode.is(node)) {
    const { schema, identifier } = node.table;
    scope.addRelation(identifier.name, scope.table(schema?.name, identifier.name));
    return;
  }
  if (AliasNode.is(node) && IdentifierNode.is(node.alias)) {
    const alias = node.alias.name;
    const inner = unwrapRaw(node.node);
    if (TableNode.is(inner)) {
      scope.addRelation(alias, scope.table(inner.table.schema?.name, inner.table.identifier.name));
      return;
    }
    if (SelectQueryNode.is(inner)) {
      scope.addRelation(alias, selectShape(inner, scope));
      return;
    }
  }
  // A FROM item written in SQL (a raw subquery, `generate_series(...) as g(day)`): read as text.
  sqlFromItems(nodeSql(node), scope);
}

/** `sql`${sql.table('raw.users')}`` (what `ctx.ref` and `ctx.source` build) is the table itself. */
function unwrapRaw(node: OperationNode): OperationNode {
  const [only, ...more] = RawNode.is(node) ? node.parameters : [];
  if (
    RawNode.is(node) &&
    only &&
    more.length === 0 &&
    node.sqlFragments.every((f) => f.trim() === '')
  )
    return unwrapRaw(only);
  return node;
}

function selectionColumns(node: OperationNode, scope: LineageScope): [string, Origins][] {
  if (ReferenceNode.is(node)) {
    const table = node.table?.table.identifier.name;
    if (node.column.kind === 'SelectAllNode') return scope.star(table);
    const name = node.column.column.name;
    return [[name, scope.column(table, name)]];
  }
  if (node.kind === 'SelectAllNode') return scope.star(undefined);
  if (AliasNode.is(node) && IdentifierNode.is(node.alias))
    return [[node.alias.name, expressionOrigins(node.node, scope)]];
  if (ColumnNode.is(node)) return [[node.column.name, scope.column(undefined, node.column.name)]];
  throw lineageError(`a selection without a name (${node.kind})`);
}

/** Every model or source column an expression reads, through nested subqueries and raw SQL. */
export function expressionOrigins(node: OperationNode, scope: LineageScope): Origins {
  if (ReferenceNode.is(node)) {
    if (node.column.kind === 'SelectAllNode')
      return unionOrigins(scope.star(node.table?.table.identifier.name).map(([, o]) => o));
    return scope.column(node.table?.table.identifier.name, node.column.column.name);
  }
  if (ColumnNode.is(node)) return scope.column(undefined, node.column.name);
  if (SelectQueryNode.is(node)) {
    const shape = selectShape(node, scope);
    return shape.kind === 'closed' ? unionOrigins(shape.columns.values()) : new Set();
  }
  if (RawNode.is(node)) return sqlExpressionOrigins(nodeSql(node), scope);
  return unionOrigins(childNodes(node).map((child) => expressionOrigins(child, scope)));
}

function childNodes(node: OperationNode): OperationNode[] {
  return Object.values(node).flatMap((value: unknown) =>
    (Array.isArray(value) ? value : [value]).filter(isOperationNode),
  );
}

function isOperationNode(value: unknown): value is OperationNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

const compiler = new InlineValuesQueryCompiler();

/** A node compiled back to SQL text, values inlined. */
function nodeSql(node: OperationNode): string {
  const root = RawNode.is(node) ? node : RawNode.create(['', ''], [node]);
  return compiler.compileQuery(root, createQueryId()).sql;
}
