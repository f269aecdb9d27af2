/** The libpq variables `psql` and `pgloader` read. */
// A type alias, not an interface: it must fit the Record<string, string> of a child's environment.
export type LibpqEnv = {
  PGHOST: string;
  PGPORT: string;
  PGUSER: string;
  PGDATABASE: string;
  PGPASSWORD?: string;
};

/**
 * libpq variables for a PostgreSQL URL, so `psql` and `pgloader` commands name only a database and
 * the password never appears in a command line.
 */
export function libpqEnv(url: string): LibpqEnv {
  const parsed = new URL(url);
  return {
    PGHOST: decodeURIComponent(parsed.hostname) || 'localhost',
    PGPORT: parsed.port || '5432',
    PGUSER: decodeURIComponent(parsed.username) || 'postgres',
    ...(parsed.password === '' ? {} : { PGPASSWORD: decodeURIComponent(parsed.password) }),
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
  };
}

/** The database name of a PostgreSQL URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
