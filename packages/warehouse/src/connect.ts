import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

/** Anything that can hand over a connection string without printing it (a `Redacted` from config). */
export interface ConnectionString {
  expose(): string;
}

export interface PoolOptions {
  /** Connection string: plain text or a redacted value. */
  readonly url: string | ConnectionString;
  /** Default 5: two cores gain nothing from more concurrent statements. */
  readonly max?: number;
  /** Shows in pg_stat_activity, so an operator can tell which step holds a connection. */
  readonly applicationName?: string;
  /** Per-statement limit in ms (PostgreSQL `statement_timeout`); 0 or unset means none. */
  readonly statementTimeoutMs?: number;
  /** Told of a connection the server dropped (`57P01`, reset socket); the query that used it fails retryably. */
  readonly onConnectionLost?: (error: Error) => void;
}

// Parsers shared by every pool: dates stay 'YYYY-MM-DD' (no time zone shift), counts become numbers.
const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const keepText = (value: string): string => value;
const toNumber = (value: string): number => Number(value);

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return keepText;
    if (oid === INT8_OID || oid === NUMERIC_OID) return toNumber;
    const fallback: unknown =
      format === 'binary'
        ? pg.types.getTypeParser(oid, 'binary')
        : pg.types.getTypeParser(oid, 'text');
    return fallback;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens a `pg.Pool` with Reelhouse's type parsers, where no dropped connection can crash the
 * process. Only the apps call this; packages receive the pool.
 */
export function createPool(options: PoolOptions): pg.Pool {
  const url = typeof options.url === 'string' ? options.url : options.url.expose();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 5,
    application_name: options.applicationName ?? 'reelhouse',
    // JIT pays off only for long single queries; in model builds it cost seconds of compile time
    // on sub-second incremental statements whose row estimates it trusted.
    options: '-c jit=off',
    types: typeParsers,
    ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
  });
  // pg emits 'error' on a checked-out client (a Kysely transaction between statements) and, for an
  // idle client, on both the client and the pool with the same error object: unheard, either kills
  // the process. Each error is told once.
  const told = new WeakSet<Error>();
  const onLost = (error: Error) => {
    if (told.has(error)) return;
    told.add(error);
    options.onConnectionLost?.(error);
  };
  pool.on('error', onLost);
  pool.on('connect', (client) => client.on('error', onLost));
  return pool;
}

/** Wraps a pool in a typed Kysely instance. Destroying the Kysely instance ends the pool. */
export function createKysely<Database>(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
