import { sql } from 'kysely';

import { ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import type { CompiledContract } from './compiled-model.ts';
import type { SqlType } from './sql-type.ts';

// How `format_type` spells the types a contract may declare.
const catalogSpelling: Record<SqlType, string> = {
  text: 'text',
  boolean: 'boolean',
  smallint: 'smallint',
  integer: 'integer',
  bigint: 'bigint',
  'double precision': 'double precision',
  numeric: 'numeric',
  date: 'date',
  timestamptz: 'timestamp with time zone',
  jsonb: 'jsonb',
  'text[]': 'text[]',
};

export interface VerifyContractOptions {
  readonly model: string;
  /** Schema-qualified relation to check. */
  readonly relation: string;
  readonly contract: CompiledContract;
  /** Views carry no NOT NULL or keys: only names and types are checked. */
  readonly kind: 'table' | 'view';
}

interface CatalogColumn {
  name: string;
  type: string;
  not_null: boolean;
  in_primary_key: boolean;
}

/** Checks the built relation against its contract in `pg_catalog`; throws `contract_violation` listing every mismatch. */
export async function verifyContract(db: AnyKysely, options: VerifyContractOptions): Promise<void> {
  const [schema = '', table = ''] = options.relation.split('.');
  const { rows } = await sql<CatalogColumn>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
      exists (select 1 from pg_constraint p where p.conrelid = c.oid and p.contype = 'p' and a.attnum = any (p.conkey)) as in_primary_key
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relname = ${table} and a.attnum > 0 and not a.attisdropped
    order by a.attnum`.execute(db);
  const declared = Object.entries(options.contract.columns);
  const problems: string[] = [];
  if (rows.length === 0) problems.push(`relation ${options.relation} does not exist`);
  const actualNames = rows.map((row) => row.name);
  const declaredNames = declared.map(([name]) => name);
  if (rows.length > 0 && actualNames.join(',') !== declaredNames.join(','))
    problems.push(
      `columns are (${actualNames.join(', ')}), contract declares (${declaredNames.join(', ')})`,
    );
  for (const [name, column] of declared) {
    const actual = rows.find((row) => row.name === name);
    if (actual === undefined) continue;
    if (actual.type !== catalogSpelling[column.type])
      problems.push(`column ${name} is ${actual.type}, contract declares ${column.type}`);
    if (options.kind === 'table' && actual.not_null !== (column.nullable !== true))
      problems.push(
        `column ${name} is ${actual.not_null ? 'not null' : 'nullable'}, contract declares it ${column.nullable === true ? 'nullable' : 'not null'}`,
      );
  }
  if (options.kind === 'table') {
    const primaryKey = rows.filter((row) => row.in_primary_key).map((row) => row.name);
    if ([...primaryKey].sort().join(',') !== [...options.contract.primaryKey].sort().join(','))
      problems.push(
        `primary key is (${primaryKey.join(', ')}), contract declares (${options.contract.primaryKey.join(', ')})`,
      );
  }
  if (problems.length > 0) {
    throw new ReelhouseError({
      code: 'contract_violation',
      message: `model ${options.model} does not match its contract: ${problems.join('; ')}`,
      context: { model: options.model, relation: options.relation, problems },
    });
  }
}
