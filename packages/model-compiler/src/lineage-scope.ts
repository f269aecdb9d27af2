import { ReelhouseError } from '@reelhouse/core';

/** Where a column's values come from: `model.column` or `raw.table.column`. */
export type Origins = ReadonlySet<string>;

/**
 * The columns a relation in a query yields, each with its origins. A `raw` source is open: its
 * columns are not declared to the compiler, so any column read from it is its own origin.
 */
export type RelationShape =
  | { readonly kind: 'closed'; readonly columns: ReadonlyMap<string, Origins> }
  | { readonly kind: 'open'; readonly relation: string };

/** Resolves a schema-qualified table a query reads (a model or a `raw` source) to its shape. */
export type BaseRelationResolver = (schema: string | undefined, table: string) => RelationShape;

/** The relations and common table expressions visible at one level of a query; parents for correlation. */
export class LineageScope {
  readonly #parent: LineageScope | undefined;
  readonly #base: BaseRelationResolver;
  readonly #relations = new Map<string, RelationShape>();
  readonly #ctes = new Map<string, RelationShape>();

  constructor(base: BaseRelationResolver, parent?: LineageScope) {
    this.#base = base;
    this.#parent = parent;
  }

  child(): LineageScope {
    return new LineageScope(this.#base, this);
  }

  addCte(name: string, shape: RelationShape): void {
    this.#ctes.set(name, shape);
  }

  addRelation(alias: string, shape: RelationShape): void {
    this.#relations.set(alias, shape);
  }

  /** A table named in a FROM item: a common table expression in scope, else a model or source. */
  table(schema: string | undefined, name: string): RelationShape {
    if (schema === undefined) {
      for (const scope of this.#chain()) {
        const cte = scope.#ctes.get(name);
        if (cte) return cte;
      }
    }
    return this.#base(schema, name);
  }

  /** The origins of `table.column` (or of an unqualified column), searched outwards. */
  column(table: string | undefined, column: string): Origins {
    for (const scope of this.#chain()) {
      const found =
        table === undefined ? scope.#unqualified(column) : scope.#qualified(table, column);
      if (found) return found;
    }
    throw lineageError(`column ${table === undefined ? '' : `${table}.`}${column} is not in scope`);
  }

  /** Every column of `table` (or of every relation in this scope, for a bare `*`), in order. */
  star(table: string | undefined): [string, Origins][] {
    const shapes =
      table === undefined ? [...this.#relations.values()] : [this.#relationOrThrow(table)];
    return shapes.flatMap((shape) => {
      if (shape.kind === 'open')
        throw lineageError(`cannot expand * over ${shape.relation}: its columns are not declared`);
      return [...shape.columns];
    });
  }

  /** This scope and its parents, innermost first. */
  #chain(): LineageScope[] {
    const chain: LineageScope[] = [this];
    for (let parent = this.#parent; parent; parent = parent.#parent) chain.push(parent);
    return chain;
  }

  #relationOrThrow(alias: string): RelationShape {
    for (const scope of this.#chain()) {
      const shape = scope.#relations.get(alias);
      if (shape) return shape;
    }
    throw lineageError(`relation ${alias} is not in scope`);
  }

  #qualified(alias: string, column: string): Origins | undefined {
    const shape = this.#relations.get(alias);
    if (!shape) return undefined;
    const origins = columnOf(shape, column);
    if (!origins) throw lineageError(`relation ${alias} has no column ${column}`);
    return origins;
  }

  #unqualified(column: string): Origins | undefined {
    const shapes = [...this.#relations.values()];
    const closed = shapes.filter((s) => s.kind === 'closed' && s.columns.has(column));
    const open = shapes.filter((s) => s.kind === 'open');
    const [only] =
      closed.length === 1 ? closed : closed.length === 0 && open.length === 1 ? open : [];
    if (only) return columnOf(only, column);
    if (closed.length + open.length > 1)
      throw lineageError(`column ${column} is ambiguous: qualify it with its table`);
    return undefined;
  }
}

function columnOf(shape: RelationShape, column: string): Origins | undefined {
  return shape.kind === 'open'
    ? new Set([`${shape.relation}.${column}`])
    : shape.columns.get(column);
}

/** The union of several origin sets. */
export function unionOrigins(sets: Iterable<Origins>): Set<string> {
  const union = new Set<string>();
  for (const set of sets) for (const origin of set) union.add(origin);
  return union;
}

/** A closed shape from output columns, renamed by position when a column list is given (`as g(day)`). */
export function closedShape(
  columns: readonly (readonly [string, Origins])[],
  rename?: readonly string[],
): RelationShape {
  return {
    kind: 'closed',
    columns: new Map(columns.map(([name, origins], i) => [rename?.[i] ?? name, origins])),
  };
}

/** The shape of a set operation: column i of the result reads column i of every branch. */
export function setOperationShape(branches: readonly RelationShape[]): RelationShape {
  const [first, ...rest] = branches.map((shape) => {
    if (shape.kind === 'open') throw lineageError('a set operation branch reads an open relation');
    return [...shape.columns];
  });
  if (!first) throw lineageError('a set operation has no branch');
  return closedShape(
    first.map(([name, origins], i) => [
      name,
      unionOrigins([origins, ...rest.map((branch) => branch[i]?.[1] ?? new Set<string>())]),
    ]),
  );
}

export function lineageError(message: string): ReelhouseError {
  return new ReelhouseError({ code: 'graph_invalid', message: `column lineage: ${message}` });
}
