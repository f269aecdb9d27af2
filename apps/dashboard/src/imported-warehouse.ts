import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import {
  type DuckDBConnection,
  DuckDBInstance,
  DuckDBDateValue,
  DuckDBTimestampTZValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { ReelhouseError } from '@reelhouse/core';
import {
  categoryExpression,
  dimensionDefinitions,
  metricResultOf,
  planMetricQuery,
  type DimensionName,
  type DistinctUsersQuery,
  type MetricQuery,
  type MetricResult,
  type MetricSource,
} from '@reelhouse/metrics';
import type { TrustedSchema } from '@reelhouse/warehouse';
import { sql, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

import { withStoredSpellings } from './stored-spellings.ts';
import {
  importedSources,
  planWarehouseImport,
  type ImportedTable,
  type PreviousDayColumn,
  type WarehouseImportPlan,
  type WideTable,
} from './warehouse-import-plan.ts';

/**
 * A load of `trusted` copied into an embedded columnar engine (DuckDB), answering metric queries
 * with the very SQL the warehouse would run, exact, in milliseconds: Power BI's import mode.
 */
export interface ImportedWarehouse {
  readonly loadKey: string;
  readonly sessions: number;
  run(query: MetricQuery): Promise<MetricResult>;
  /** The DuckDB SQL `run` sends for a query. */
  compile(query: MetricQuery): CompiledQuery;
  close(): void;
}

/** PostgreSQL types of the imported columns, as DuckDB reads them back from CSV. */
const duckTypes: Record<string, string> = {
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  boolean: 'BOOLEAN',
  text: 'VARCHAR',
  'character varying': 'VARCHAR',
  character: 'VARCHAR',
  date: 'DATE',
  'timestamp with time zone': 'TIMESTAMPTZ',
  'timestamp without time zone': 'TIMESTAMP',
  'double precision': 'DOUBLE',
  real: 'FLOAT',
};

/** Days per COPY statement of a dated table: each well within the role's statement timeout. */
const copyDays = 31;
/** DuckDB's worker threads: every core, within each query. */
const threads = String(availableParallelism());
/** Connections answering queries at once. */
const queryConnections = 4;
/**
 * A query still running after this is interrupted, as the warehouse role's statement timeout
 * would cancel it: a visitor gone long ago must not keep the cores from the next ones.
 */
const queryTimeoutMs = 15_000;

/**
 * Memory one query's distinct-user bitmaps may take, per period: a bitmap of every user id per
 * group (125 KB at 1M users). Within it, distinct users are counted by setting bits, several
 * times faster than hashing the ids; past it (a title or an episode per group), by hashing.
 */
const distinctBitmapBudgetBytes = 32 * 1024 * 1024;

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const dayKeyOf = (ms: number) =>
  Number(new Date(ms).toISOString().slice(0, 10).replaceAll('-', ''));
const msOfKey = (key: number) =>
  Date.UTC(Math.floor(key / 10_000), (Math.floor(key / 100) % 100) - 1, key % 100);

interface ColumnType {
  readonly name: string;
  readonly duckType: string;
}

async function columnTypes(client: pg.ClientBase, table: ImportedTable): Promise<ColumnType[]> {
  const result = await client.query<{ column_name: string; data_type: string }>(
    `select column_name, data_type from information_schema.columns
     where table_schema = 'trusted' and table_name = $1`,
    [table.table],
  );
  const types = new Map(result.rows.map((row) => [row.column_name, row.data_type]));
  return table.columns.map((name) => {
    const pgType = types.get(name);
    const duckType = pgType === undefined ? undefined : duckTypes[pgType];
    if (duckType === undefined)
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `trusted.${table.table}.${name} (${pgType ?? 'missing'}) cannot be imported into the dashboard's in-memory copy`,
        context: { table: table.table, column: name },
      });
    return { name, duckType };
  });
}

/**
 * Streams one table's columns into a CSV file, a month of `date_key` per statement for dated
 * tables: the dashboard's role keeps its statement timeout, and a build is never blocked for long.
 */
async function copyTableToCsv(
  client: pg.ClientBase,
  table: ImportedTable,
  path: string,
): Promise<void> {
  const columns = table.columns.map(quoteIdent).join(', ');
  const from = `trusted.${quoteIdent(table.table)}`;
  const statements: string[] = [];
  if (table.columns.includes('date_key')) {
    const bounds = await client.query<{ first: number | null; last: number | null }>(
      `select min(date_key) as first, max(date_key) as last from ${from}`,
    );
    const { first, last } = bounds.rows[0] ?? { first: null, last: null };
    for (
      let start = first === null ? Infinity : msOfKey(first);
      last !== null && start <= msOfKey(last);
      start += copyDays * 86_400_000
    )
      statements.push(
        `select ${columns} from ${from} where date_key >= ${dayKeyOf(start)} and date_key < ${dayKeyOf(start + copyDays * 86_400_000)}`,
      );
  } else statements.push(`select ${columns} from ${from}`);
  const file = createWriteStream(path);
  try {
    for (const statement of statements)
      for await (const chunk of client.query(
        copyTo(`copy (${statement}) to stdout with (format csv)`),
      ) as AsyncIterable<Buffer>)
        if (!file.write(chunk)) await once(file, 'drain');
  } finally {
    await new Promise<void>((resolve, reject) =>
      file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

/**
 * `expression` (over `trusted.<table> <alias>`) as stored in a wide table: text becomes an ENUM
 * of the values it holds, in sorted order, so scans read small integers and groups hash them
 * while comparisons, functions and ORDER BY see the same text in the same order.
 */
async function storedAs(
  connection: DuckDBConnection,
  value: { from: string; expression: string; typeName: string },
): Promise<string> {
  const { from, expression, typeName } = value;
  const described = await connection.runAndReadAll(
    `describe select ${expression} as value from ${from}`,
  );
  if (String(described.getRowObjects()[0]?.['column_type']) !== 'VARCHAR') return expression;
  await connection.run(
    `create type ${quoteIdent(typeName)} as enum (select distinct ${expression} from ${from} where ${expression} is not null order by 1)`,
  );
  return `(${expression})::${quoteIdent(typeName)}`;
}

/** One source's wide table (see `WideTable`), rows in day order, text stored as enums. */
async function buildWideTable(
  connection: DuckDBConnection,
  wide: WideTable,
  previousDays: readonly PreviousDayColumn[],
): Promise<void> {
  const { alias } = wide.base;
  const baseFrom = `trusted.${quoteIdent(wide.base.table)} ${alias}`;
  const columns: string[] = [];
  for (const name of wide.base.columns) {
    const stored = await storedAs(connection, {
      from: baseFrom,
      expression: `${alias}.${quoteIdent(name)}`,
      typeName: `${wide.name}.${name}`,
    });
    columns.push(`${stored} as ${quoteIdent(name)}`);
  }
  const joins: string[] = [];
  for (const join of wide.joins) {
    const from = `trusted.${quoteIdent(join.table)} ${join.alias}`;
    const fields: string[] = [];
    const expressions = [
      ...join.columns.map((name) => ({ field: name, sql: `${join.alias}.${quoteIdent(name)}` })),
      ...wide.derived.filter((derived) => derived.alias === join.alias),
    ];
    for (const { field, sql } of expressions)
      fields.push(
        `${quoteIdent(field)} := ${await storedAs(connection, { from, expression: sql, typeName: `${wide.name}.${join.alias}.${field}` })}`,
      );
    columns.push(`struct_pack(${fields.join(', ')}) as ${join.alias}`);
    joins.push(
      `join ${from} on ${join.alias}.${quoteIdent(join.key)} = ${alias}.${quoteIdent(join.key)}`,
    );
  }
  // The previous-day columns key the sessions source's rows by user: its table only.
  if (wide.source === 'sessions')
    for (const { column, partition } of previousDays)
      columns.push(
        `lag(${alias}.date_key) over (partition by ${[...partition, 'u.user_id'].join(', ')} order by ${alias}.date_key) as ${quoteIdent(column)}`,
      );
  // Rows in day order: range filters on date_key then skip whole row groups (zone maps).
  await connection.run(
    `create table trusted.${quoteIdent(wide.name)} as
     select ${columns.join(',\n       ')}
     from ${baseFrom}
     ${joins.join('\n     ')}
     order by ${alias}.date_key`,
  );
}

/** DuckDB's `to_date(text, 'YYYYMMDD')`: PostgreSQL's, for the one format the metric SQL uses. */
const toDateMacro = `create or replace macro to_date(day, format) as
  make_date((day::integer // 10000)::bigint, ((day::integer // 100) % 100)::bigint, (day::integer % 100)::bigint)`;

async function buildDuckDatabase(options: {
  connection: DuckDBConnection;
  plan: WarehouseImportPlan;
  files: ReadonlyMap<string, { path: string; types: ColumnType[] }>;
}): Promise<void> {
  const { connection, plan, files } = options;
  await connection.run('create schema if not exists trusted');
  for (const table of plan.tables) {
    const { path, types } = files.get(table.table)!;
    const columns = types
      .map(({ name, duckType }) => `${quoteIdent(name)}: '${duckType}'`)
      .join(', ');
    // PostgreSQL's CSV writes NULL unquoted and an empty string as "": keep them apart.
    const csv = `read_csv('${path.replaceAll("'", "''")}',
        header = false, auto_detect = false, allow_quoted_nulls = false, columns = {${columns}})`;
    // Metrics only count and compare user ids: a dense number in their place (one to one) is
    // hashed several times faster than the text in count(distinct ...).
    const select =
      table.table === 'dim_user' && table.columns.includes('user_id')
        ? `select * replace (dense_rank() over (order by user_id) as user_id) from ${csv}`
        : `select * from ${csv}`;
    await connection.run(`create table trusted.${quoteIdent(table.table)} as ${select}`);
  }
  for (const wide of plan.wide) await buildWideTable(connection, wide, plan.previousDays);
  for (const wide of plan.wide)
    if (!plan.wide.some((other) => other.joins.some((join) => join.table === wide.base.table)))
      await connection.run(`drop table trusted.${quoteIdent(wide.base.table)}`);
  await connection.run(toDateMacro);
}

/** Groups a time dimension makes over a query's periods (the previous one aligned onto the current). */
function timeGroups(grain: 'day' | 'week' | 'month', days: number): number {
  if (grain === 'day') return days;
  return grain === 'week' ? Math.floor(days / 7) + 2 : Math.floor(days / 28) + 2;
}

const sameNames = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((name) => b.includes(name));

/** The previous-day column that answers a query's distinct users exactly, if one does. */
function previousDayColumnFor(
  columns: readonly PreviousDayColumn[],
  query: DistinctUsersQuery,
): PreviousDayColumn | undefined {
  return columns.find(
    (column) =>
      sameNames(column.dimensions, query.dimensions) &&
      column.filters.every((name) => query.filters[name]?.length === 1) &&
      Object.keys(query.filters).every(
        (name) =>
          column.filters.includes(name as DimensionName) ||
          column.dimensions.includes(name as DimensionName),
      ),
  );
}

/**
 * The sources with the copy's faster exact forms of distinct users: a count of first sessions
 * where a previous-day column keys the query's groups (the panels' own splits), else DuckDB's
 * bitmap count (`bitstring_agg` over the dense user numbers the copy stores) wherever a query's
 * groups keep the bitmaps within the budget. How many values each category dimension has is
 * estimated once per source, by HyperLogLog.
 */
async function withDistinctUserForms(options: {
  connection: DuckDBConnection;
  db: Kysely<TrustedSchema>;
  sources: readonly MetricSource[];
  previousDays: readonly PreviousDayColumn[];
  budgetBytes: number;
}): Promise<MetricSource[]> {
  const { connection, db } = options;
  const bounds = await connection.runAndReadAll(
    'select min(user_id) as first, max(user_id) as last from trusted.dim_user',
  );
  const { first, last } = bounds.getRowObjects()[0] ?? {};
  // Dense numbers from 1 (the import's dense_rank); anything else keeps count(distinct).
  if (first !== 1n || typeof last !== 'bigint') return [...options.sources];
  const users = Number(last);
  const bitmapBytes = Math.ceil(users / 8);
  const sources: MetricSource[] = [];
  for (const source of options.sources) {
    const categories = (Object.keys(dimensionDefinitions) as DimensionName[]).flatMap((name) => {
      const expression = categoryExpression(source, name);
      return expression === undefined ? [] : [{ name, expression }];
    });
    let query = source.from(db);
    if (source.where !== undefined) query = query.where(source.where);
    const compiled = query
      .select(
        categories.map(({ name, expression }) =>
          sql<number>`approx_count_distinct(${expression})`.as(name),
        ),
      )
      .compile();
    const estimates =
      categories.length === 0
        ? {}
        : ((
            await connection.runAndReadAll(compiled.sql, compiled.parameters as DuckDBValue[])
          ).getRowObjects()[0] ?? {});
    /** Groups a category dimension makes (unknown: more than any budget allows). */
    const valuesOf = (name: DimensionName): number => {
      const estimate = estimates[name];
      // HyperLogLog errs by a few percent: leave a margin, and count the null group.
      return estimate === undefined || estimate === null
        ? Number.POSITIVE_INFINITY
        : Math.ceil(Number(estimate) * 1.1) + 1;
    };
    const distinctUsers = (where: RawBuilder<boolean>, query: DistinctUsersQuery) => {
      const previousDay =
        source.name === 'sessions' ? previousDayColumnFor(options.previousDays, query) : undefined;
      if (previousDay !== undefined) {
        const previous = sql.ref(`f.${previousDay.column}`);
        return sql<number>`count(*) filter (where ${where} and (${previous} is null or ${previous} < ${sql.lit(query.range.fromKey)}))`;
      }
      const groups = query.dimensions.reduce((product, name) => {
        const definition = dimensionDefinitions[name];
        return (
          product *
          (definition.kind === 'time'
            ? timeGroups(definition.grain, query.period.days)
            : valuesOf(name))
        );
      }, 1);
      return groups * bitmapBytes > options.budgetBytes
        ? undefined
        : sql<number>`coalesce(bit_count(bitstring_agg(u.user_id, 1, ${sql.lit(users)}) filter (where ${where})), 0)`;
    };
    sources.push({ ...source, distinctUsers });
  }
  return sources;
}

/** A value as node-postgres (with the warehouse's parsers) gives it: numbers, 'YYYY-MM-DD' dates. */
function asPgValue(value: DuckDBValue): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue) return new Date(Number(value.micros / 1000n));
  return value;
}

/**
 * Bumped when the copy's physical layout changes (user ids as numbers: 2; derived dimensions: 3;
 * previous-day columns: 4; text as enums, the content source pre-joined: 5).
 */
const layoutVersion = 5;

/** What a copy's file holds, as text: files of another layout are never opened as this one. */
export function importLayout(db: Kysely<TrustedSchema>): string {
  return JSON.stringify({ layoutVersion, plan: planWarehouseImport(db) });
}

/**
 * Copies the tables the metric sources read from the warehouse (as the dashboard's read-only
 * role) into a DuckDB file under `dir`, built aside and renamed when complete; a file already
 * there for this load (a restart) is opened as it is.
 */
export async function importWarehouse(options: {
  db: Kysely<TrustedSchema>;
  /** The warehouse URL the dashboard connects with (its role's). */
  url: string;
  loadKey: string;
  /** Where the file goes: one per load, named by the load's key. */
  path: string;
  /** Memory per period for distinct-user bitmaps (default 32 MiB); 0 always hashes. */
  distinctBitmapBudgetBytes?: number;
}): Promise<ImportedWarehouse> {
  const plan = planWarehouseImport(options.db);
  const exists = await stat(options.path).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const building = `${options.path}.building`;
    const csvDir = `${options.path}.csv`;
    await rm(building, { force: true });
    await rm(`${building}.wal`, { force: true });
    await mkdir(csvDir, { recursive: true });
    try {
      const client = new pg.Client({ connectionString: options.url });
      await client.connect();
      const files = new Map<string, { path: string; types: ColumnType[] }>();
      try {
        await client.query(`set time zone 'UTC'`);
        for (const table of plan.tables) {
          const path = join(csvDir, `${table.table}.csv`);
          files.set(table.table, { path, types: await columnTypes(client, table) });
          await copyTableToCsv(client, table, path);
        }
      } finally {
        await client.end();
      }
      const instance = await DuckDBInstance.create(building, { threads });
      try {
        const connection = await instance.connect();
        await connection.run(`set time zone 'UTC'`);
        await buildDuckDatabase({ connection, plan, files });
        await connection.run('checkpoint');
        connection.closeSync();
      } finally {
        instance.closeSync();
      }
      await rename(building, options.path);
    } finally {
      await rm(csvDir, { recursive: true, force: true });
    }
  }
  return openImportedWarehouse(options);
}

/**
 * Reads every column of every table once, so that "ready" means in memory, as in import mode:
 * after a restart on an existing file, the first queries otherwise load their blocks from disk
 * (at 10M sessions, first answers of 250–590 ms where the same panels took about 100 ms).
 */
async function loadIntoMemory(connection: DuckDBConnection): Promise<void> {
  const tables = await connection.runAndReadAll(
    `select table_name from duckdb_tables() where schema_name = 'trusted'`,
  );
  for (const row of tables.getRowObjects())
    await connection.run(
      `select max(columns(*)) from trusted.${quoteIdent(String(row['table_name']))}`,
    );
}

async function openImportedWarehouse(options: {
  db: Kysely<TrustedSchema>;
  loadKey: string;
  path: string;
  distinctBitmapBudgetBytes?: number;
}): Promise<ImportedWarehouse> {
  const instance = await DuckDBInstance.create(options.path, {
    access_mode: 'READ_ONLY',
    threads,
  });
  const connections: DuckDBConnection[] = [];
  for (let index = 0; index < queryConnections; index += 1) {
    const connection = await instance.connect();
    await connection.run(`set time zone 'UTC'`);
    connections.push(connection);
  }
  const idle = [...connections];
  const waiting: ((connection: DuckDBConnection) => void)[] = [];
  const acquire = () =>
    new Promise<DuckDBConnection>((resolve) => {
      const connection = idle.pop();
      if (connection !== undefined) resolve(connection);
      else waiting.push(resolve);
    });
  const release = (connection: DuckDBConnection) => {
    const next = waiting.shift();
    if (next !== undefined) next(connection);
    else idle.push(connection);
  };
  await loadIntoMemory(connections[0]!);
  const importPlan = planWarehouseImport(options.db);
  const sessionsTable =
    importPlan.wide.find((wide) => wide.source === 'sessions')?.name ?? 'fact_viewing_session';
  const count = await connections[0]!.runAndReadAll(
    `select count(*) as n from trusted.${quoteIdent(sessionsTable)}`,
  );
  const sessions = Number(count.getRowObjects()[0]?.['n'] ?? 0);
  const sources = await withStoredSpellings({
    connection: connections[0]!,
    db: options.db,
    sources: await withDistinctUserForms({
      connection: connections[0]!,
      db: options.db,
      sources: importedSources(importPlan),
      previousDays: importPlan.previousDays,
      budgetBytes: options.distinctBitmapBudgetBytes ?? distinctBitmapBudgetBytes,
    }),
  });
  const compile = (query: MetricQuery) => {
    const plan = planMetricQuery(options.db, query, sources);
    return { plan, compiled: plan.query.compile() };
  };
  return {
    loadKey: options.loadKey,
    sessions,
    compile: (query) => compile(query).compiled,
    async run(query) {
      const { plan, compiled } = compile(query);
      const connection = await acquire();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        connection.interrupt();
      }, queryTimeoutMs);
      try {
        const reader = await connection
          .runAndReadAll(compiled.sql, compiled.parameters as DuckDBValue[])
          .catch((error: unknown) => {
            throw timedOut
              ? new ReelhouseError({
                  code: 'timeout',
                  retryable: true,
                  message: `The in-memory copy took over ${queryTimeoutMs / 1000} s to answer (${query.metrics.join(', ')} by ${query.dimensions.join(', ') || 'nothing'}).`,
                  cause: error,
                })
              : error;
          });
        const rows = reader
          .getRowObjects()
          .map((row) =>
            Object.fromEntries(Object.entries(row).map(([key, value]) => [key, asPgValue(value)])),
          );
        return metricResultOf(plan, query, rows);
      } finally {
        clearTimeout(timer);
        release(connection);
      }
    },
    close() {
      for (const connection of connections) connection.closeSync();
      instance.closeSync();
    },
  };
}
