import { sql } from 'kysely';

import { classifyError, ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import type { CompiledContract } from './compiled-model.ts';
import {
  columnConstraintsSql,
  createTableAsSql,
  createViewSql,
  keyStatements,
} from './contract-ddl.ts';
import { quoteRelation } from './sql-identifier.ts';
import { verifyContract } from './verify-contract.ts';

export interface BuildRelationOptions {
  readonly model: string;
  /** Schema-qualified relation to create; it must not exist. */
  readonly relation: string;
  readonly kind: 'table' | 'view';
  readonly contract: CompiledContract;
  /** The model's select, values inlined. */
  readonly selectSql: string;
  /** Where a foreign key to another model points. */
  readonly ref: (modelName: string) => string;
  /** Foreign keys to these models are added at publish instead (their new rows are not merged yet). */
  readonly deferForeignKeysTo?: (modelName: string) => boolean;
  /** Skip keys and indexes: an incremental delta is merged into a table that has them. */
  readonly withKeys?: boolean;
}

/**
 * Creates a model's relation under its contract: a view, or a table with declared types, NOT NULL
 * and CHECKs, filled, then keyed and indexed, analysed, and checked against the catalog.
 * Returns the rows written (null for a view). Data that breaks the contract is a `contract_violation`.
 */
export async function buildRelation(
  db: AnyKysely,
  options: BuildRelationOptions,
): Promise<number | null> {
  const run = async (text: string) => {
    try {
      return await sql.raw(text).execute(db);
    } catch (error) {
      throw contractError(error, { model: options.model, statement: text });
    }
  };
  if (options.kind === 'view') {
    await run(createViewSql(options.relation, options.contract, options.selectSql));
    await verifyContract(db, {
      model: options.model,
      relation: options.relation,
      contract: options.contract,
      kind: 'view',
    });
    return null;
  }
  await run(createTableAsSql(options.relation, options.contract, options.selectSql));
  const constraints = columnConstraintsSql(options.relation, options.contract);
  if (constraints !== undefined) await run(constraints);
  const counted = await sql<{
    rows: number | string;
  }>`select count(*) as "rows" from ${sql.table(options.relation)}`.execute(db);
  const contract =
    options.withKeys === false
      ? { ...options.contract, primaryKey: [], foreignKeys: [], indexes: [] }
      : options.contract;
  for (const statement of keyStatements({
    relation: options.relation,
    contract,
    ref: options.ref,
    ...(options.deferForeignKeysTo === undefined
      ? {}
      : { skipForeignKeysTo: options.deferForeignKeysTo }),
  }))
    await run(statement);
  await run(`analyze ${quoteRelation(options.relation)}`);
  await verifyContract(db, {
    model: options.model,
    relation: options.relation,
    contract,
    kind: 'table',
  });
  return Number(counted.rows[0]?.rows ?? 0);
}

// Constraint and cast failures while applying a contract are the data breaking the contract.
function contractError(
  error: unknown,
  context: { model: string; statement: string },
): ReelhouseError {
  const classified = classifyError(error, context);
  if (classified.code !== 'constraint_violation' && classified.code !== 'invalid_input')
    return classified;
  // PostgreSQL names the offending key or row in `detail`, e.g. `Key (session_id)=(s1) is duplicated.`
  const detail = (error as { detail?: unknown }).detail;
  return new ReelhouseError({
    code: 'contract_violation',
    message: `model ${context.model} breaks its contract: ${classified.message}${typeof detail === 'string' ? ` (${detail})` : ''}`,
    context: { ...classified.context, ...(typeof detail === 'string' ? { detail } : {}) },
    cause: error,
  });
}
