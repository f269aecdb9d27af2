import pg from 'pg';

/**
 * Drops the indexes (primary and unique keys included) of a table just truncated for a full
 * refresh and returns the statements that rebuild them, as pg_restore does: building an index once
 * after the COPY costs a fraction of maintaining it row by row (1M sessions: 5.2–5.5 s with the
 * indexes in place, 3.6–3.9 s copying bare and then building them). Run both inside the load's
 * transaction, so readers and a failed load see the table with its indexes.
 *
 * A table that other tables reference by foreign key keeps its indexes: its key cannot be dropped.
 */
export async function dropIndexesForBulkLoad(
  client: pg.ClientBase,
  table: string,
): Promise<readonly string[]> {
  const referenced = await client.query<{ n: number }>(
    `select count(*)::int as n from pg_constraint where confrelid = $1::regclass`,
    [table],
  );
  if ((referenced.rows[0]?.n ?? 0) > 0) return [];
  const constraints = await client.query<{ name: string; definition: string }>(
    `select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
      where conrelid = $1::regclass and contype in ('p', 'u') order by conname`,
    [table],
  );
  for (const constraint of constraints.rows)
    await client.query(
      `alter table ${table} drop constraint ${pg.escapeIdentifier(constraint.name)}`,
    );
  return [
    ...constraints.rows.map(
      (constraint) =>
        `alter table ${table} add constraint ${pg.escapeIdentifier(constraint.name)} ${constraint.definition}`,
    ),
    ...(await dropIndexesWithoutConstraint(client, table, { keepUnique: false })),
  ];
}

/**
 * Drops the indexes of `table` that back no constraint (and, with `keepUnique`, no unique index
 * either) and returns the statements that create them again.
 */
async function dropIndexesWithoutConstraint(
  client: pg.ClientBase,
  table: string,
  options: { keepUnique: boolean },
): Promise<readonly string[]> {
  const indexes = await client.query<{ name: string; definition: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i
      where i.indrelid = $1::regclass and not (i.indisunique and $2)
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by 1`,
    [table, options.keepUnique],
  );
  for (const index of indexes.rows) await client.query(`drop index ${index.name}`);
  return indexes.rows.map((index) => index.definition);
}

/**
 * Drops the plain indexes (not those of a key: an `on conflict` names them) of an empty table about
 * to receive a bulk append, and returns the statements that rebuild them, for the first load of a
 * history: building an index once beats maintaining it row by row (at 1M sessions the first
 * extract of viewing_sessions took 28 s, and 42 s once the history had one more index, on
 * `started_at`). Does nothing for a table that has rows.
 */
export async function dropPlainIndexesOfEmptyTable(
  client: pg.ClientBase,
  table: string,
): Promise<readonly string[]> {
  const empty = await client.query<{ empty: boolean }>(
    `select not exists (select 1 from ${table}) as empty`,
  );
  if (empty.rows[0]?.empty !== true) return [];
  return dropIndexesWithoutConstraint(client, table, { keepUnique: true });
}

/**
 * Gathers planner statistics for tables a full refresh just filled, in the load's transaction.
 * pg_restore leaves this to autovacuum, but a build right after the load would plan against a
 * table PostgreSQL has never sampled: at 10M sessions the fact's incremental select then read
 * `raw.viewing_sessions` by a sequential scan, testing each row against every changed user's id
 * (over 27 min) instead of by the `user_id` index (1.6 s once analyzed; ANALYZE took 0.7 s).
 */
export async function analyzeAfterBulkLoad(
  client: pg.ClientBase,
  tables: readonly string[],
): Promise<void> {
  for (const table of tables) await client.query(`analyze ${table}`);
}
