import type { CompiledContract } from './compiled-model.ts';
import { quoteIdent, quoteIdents, quoteRelation } from './sql-identifier.ts';

/**
 * The model's select wrapped so its output has exactly the contract's columns, in contract order,
 * each cast to its declared type.
 *
 * @example
 * castedSelect(contract, 'select ...');
 * // select cast("q"."plan" as text) as "plan", cast("q"."users" as bigint) as "users" from (select ...) as "q"
 */
export function castedSelect(contract: CompiledContract, selectSql: string): string {
  const columns = Object.entries(contract.columns).map(
    ([name, column]) => `cast("q".${quoteIdent(name)} as ${column.type}) as ${quoteIdent(name)}`,
  );
  return `select ${columns.join(', ')} from (${selectSql}) as "q"`;
}

/** `create table` with the declared types, NOT NULL and CHECK constraints (keys and indexes come after the data). */
export function createTableSql(relation: string, contract: CompiledContract): string {
  const columns = Object.entries(contract.columns).map(([name, column]) => {
    const notNull = column.nullable === true ? '' : ' not null';
    const check = column.check === undefined ? '' : ` check (${column.check})`;
    return `${quoteIdent(name)} ${column.type}${notNull}${check}`;
  });
  return `create table ${quoteRelation(relation)} (${columns.join(', ')})`;
}

/**
 * `create table ... as` the model's rows cast to the contract types: unlike `insert ... select`,
 * its select may run as a parallel query. NOT NULL and CHECK follow in `columnConstraintsSql`.
 */
export function createTableAsSql(
  relation: string,
  contract: CompiledContract,
  selectSql: string,
): string {
  return `create table ${quoteRelation(relation)} as ${castedSelect(contract, selectSql)}`;
}

/** One `alter table` adding every NOT NULL and CHECK of the contract: PostgreSQL checks them all in one scan. */
export function columnConstraintsSql(
  relation: string,
  contract: CompiledContract,
): string | undefined {
  const table = relation.split('.').at(-1) ?? relation;
  const actions = Object.entries(contract.columns).flatMap(([name, column]) => [
    ...(column.nullable === true ? [] : [`alter column ${quoteIdent(name)} set not null`]),
    ...(column.check === undefined
      ? []
      : [`add constraint ${quoteIdent(`${table}_${name}_check`)} check (${column.check})`]),
  ]);
  return actions.length === 0
    ? undefined
    : `alter table ${quoteRelation(relation)} ${actions.join(', ')}`;
}

/** A view whose columns are the contract's, cast to the declared types. */
export function createViewSql(
  relation: string,
  contract: CompiledContract,
  selectSql: string,
): string {
  return `create view ${quoteRelation(relation)} as ${castedSelect(contract, selectSql)}`;
}

export interface KeyStatementsOptions {
  readonly relation: string;
  readonly contract: CompiledContract;
  /** Schema-qualified table a foreign key to the model named points at. */
  readonly ref: (modelName: string) => string;
  /** Foreign keys to these models are left out (added later; numbering is kept). */
  readonly skipForeignKeysTo?: (modelName: string) => boolean;
}

/** Primary key, foreign keys and indexes, built after the data (a load into indexed tables is slower). */
export function keyStatements(options: KeyStatementsOptions): string[] {
  const { relation, contract } = options;
  const table = quoteRelation(relation);
  const name = relation.split('.').at(-1) ?? relation;
  const statements: string[] = [];
  if (contract.primaryKey.length > 0)
    statements.push(
      `alter table ${table} add constraint ${quoteIdent(`${name}_pkey`)} primary key (${quoteIdents(contract.primaryKey)})`,
    );
  const skip = options.skipForeignKeysTo ?? (() => false);
  statements.push(...foreignKeyStatements({ ...options, onlyTo: (model) => !skip(model) }));
  for (const columns of contract.indexes)
    statements.push(`create index on ${table} (${quoteIdents(columns)})`);
  return statements;
}

/** The contract's foreign keys to the models `onlyTo` accepts, named `<table>_fk_<n>` after their place in the contract. */
export function foreignKeyStatements(
  options: KeyStatementsOptions & { readonly onlyTo: (modelName: string) => boolean },
): string[] {
  const table = quoteRelation(options.relation);
  const name = options.relation.split('.').at(-1) ?? options.relation;
  return options.contract.foreignKeys.flatMap((fk, index) =>
    options.onlyTo(fk.references)
      ? [
          `alter table ${table} add constraint ${quoteIdent(`${name}_fk_${index + 1}`)} foreign key (${quoteIdents(fk.columns)}) references ${quoteRelation(options.ref(fk.references))} (${quoteIdents(fk.referencedColumns)})`,
        ]
      : [],
  );
}
