import { parseSync, type Node, type SelectStmt } from 'libpg-query';

import {
  closedShape,
  lineageError,
  setOperationShape,
  unionOrigins,
  type LineageScope,
  type Origins,
  type RelationShape,
} from './lineage-scope.ts';

/**
 * Lineage of SQL written as text in a model (`sql``...```), read with PostgreSQL's own parser
 * (libpg-query): the same scope rules as the operation-tree walk, over the parse tree.
 * Call `loadSqlParser()` once before.
 */

/** The origins of one SQL expression, its column references resolved in `scope`. */
export function sqlExpressionOrigins(expression: string, scope: LineageScope): Origins {
  const select = parseSelect(`select ${expression}`);
  return unionOrigins((select.targetList ?? []).map((target) => exprOrigins(target, scope)));
}

/** Adds the relations of SQL FROM items (`a as x, generate_series(...) as g(day)`) to `scope`. */
export function sqlFromItems(fromItems: string, scope: LineageScope): void {
  for (const item of parseSelect(`select from ${fromItems}`).fromClause ?? [])
    addFromItem(item, scope);
}

/** The output columns of a SQL query. */
export function sqlQueryShape(query: string, scope: LineageScope): RelationShape {
  return selectShape(parseSelect(query), scope);
}

function parseSelect(text: string): SelectStmt {
  const statement = parseSync(text).stmts?.[0]?.stmt;
  if (!statement || !('SelectStmt' in statement))
    throw lineageError(`not a select: ${text.slice(0, 80)}`);
  return statement.SelectStmt;
}

function selectShape(select: SelectStmt, outer: LineageScope): RelationShape {
  const statement = outer.child();
  for (const node of select.withClause?.ctes ?? []) {
    if (!('CommonTableExpr' in node)) continue;
    const cte = node.CommonTableExpr;
    const query = cte.ctequery;
    if (!cte.ctename || !query || !('SelectStmt' in query)) throw lineageError('unsupported WITH');
    const shape = selectShape(query.SelectStmt, statement);
    statement.addCte(cte.ctename, renamed(shape, names(cte.aliascolnames)));
  }
  if (select.op !== undefined && select.op !== 'SETOP_NONE') {
    if (!select.larg || !select.rarg) throw lineageError('a set operation without branches');
    return setOperationShape([
      selectShape(select.larg, statement),
      selectShape(select.rarg, statement),
    ]);
  }
  const scope = statement.child();
  for (const item of select.fromClause ?? []) addFromItem(item, scope);
  const columns: [string, Origins][] = [];
  for (const node of select.targetList ?? []) {
    if (!('ResTarget' in node)) continue;
    const { name, val } = node.ResTarget;
    if (val && 'ColumnRef' in val && hasStar(val.ColumnRef.fields)) {
      const table = stringFields(val.ColumnRef.fields).at(-1);
      columns.push(...scope.star(table));
      continue;
    }
    columns.push([name ?? columnName(val), val ? exprOrigins(val, scope) : new Set()]);
  }
  for (const row of select.valuesLists ?? [])
    if ('List' in row)
      (row.List.items ?? []).forEach((value, i) => {
        const origins = exprOrigins(value, scope);
        const existing = columns[i];
        if (existing) existing[1] = unionOrigins([existing[1], origins]);
        else columns.push([`column${i + 1}`, origins]);
      });
  return closedShape(columns);
}

function addFromItem(item: Node, scope: LineageScope): void {
  if ('RangeVar' in item) {
    const { schemaname, relname, alias } = item.RangeVar;
    if (!relname) throw lineageError('a table without a name');
    const shape = scope.table(schemaname, relname);
    scope.addRelation(alias?.aliasname ?? relname, renamed(shape, names(alias?.colnames)));
    return;
  }
  if ('RangeSubselect' in item) {
    const { subquery, alias } = item.RangeSubselect;
    if (!subquery || !('SelectStmt' in subquery) || !alias?.aliasname)
      throw lineageError('a subquery in FROM without an alias');
    scope.addRelation(
      alias.aliasname,
      renamed(selectShape(subquery.SelectStmt, scope), names(alias.colnames)),
    );
    return;
  }
  if ('RangeFunction' in item) {
    // A set-returning function: each of its columns reads every argument.
    const { functions, alias } = item.RangeFunction;
    const origins = exprOrigins({ List: { items: functions ?? [] } }, scope);
    const columns = names(alias?.colnames) ?? [alias?.aliasname ?? 'function'];
    if (!alias?.aliasname) throw lineageError('a function in FROM without an alias');
    scope.addRelation(alias.aliasname, closedShape(columns.map((column) => [column, origins])));
    return;
  }
  if ('JoinExpr' in item) {
    const { larg, rarg } = item.JoinExpr;
    if (larg) addFromItem(larg, scope);
    if (rarg) addFromItem(rarg, scope);
    return;
  }
  throw lineageError(`unsupported FROM item ${Object.keys(item).join()}`);
}

function exprOrigins(node: unknown, scope: LineageScope): Origins {
  if (Array.isArray(node)) return unionOrigins(node.map((child) => exprOrigins(child, scope)));
  if (typeof node !== 'object' || node === null) return new Set();
  if ('ColumnRef' in node) {
    const { fields } = (node as { ColumnRef: { fields?: Node[] } }).ColumnRef;
    const parts = stringFields(fields);
    if (hasStar(fields))
      return unionOrigins(scope.star(parts.at(-1)).map(([, origins]) => origins));
    const column = parts.at(-1);
    if (column === undefined) throw lineageError('an empty column reference');
    return scope.column(parts.at(-2), column);
  }
  if ('SelectStmt' in node) {
    const shape = selectShape((node as { SelectStmt: SelectStmt }).SelectStmt, scope);
    return shape.kind === 'closed' ? unionOrigins(shape.columns.values()) : new Set();
  }
  return unionOrigins(Object.values(node).map((child) => exprOrigins(child, scope)));
}

/** The name PostgreSQL gives an unaliased output column (its `FigureColname`, for common cases). */
function columnName(node: Node | undefined): string {
  if (!node) return '?column?';
  if ('ColumnRef' in node) return stringFields(node.ColumnRef.fields).at(-1) ?? '?column?';
  if ('TypeCast' in node) {
    const inner = columnName(node.TypeCast.arg);
    return inner !== '?column?'
      ? inner
      : (stringFields(node.TypeCast.typeName?.names).at(-1) ?? inner);
  }
  if ('FuncCall' in node) return stringFields(node.FuncCall.funcname).at(-1) ?? '?column?';
  if ('CaseExpr' in node) return 'case';
  return '?column?';
}

function renamed(shape: RelationShape, columns: readonly string[] | undefined): RelationShape {
  if (!columns || shape.kind === 'open') return shape;
  return closedShape([...shape.columns], columns);
}

function names(nodes: readonly Node[] | undefined): string[] | undefined {
  return nodes === undefined || nodes.length === 0 ? undefined : stringFields(nodes);
}

function stringFields(nodes: readonly Node[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) =>
    'String' in node && node.String.sval !== undefined ? [node.String.sval] : [],
  );
}

function hasStar(nodes: readonly Node[] | undefined): boolean {
  return (nodes ?? []).some((node) => 'A_Star' in node);
}
