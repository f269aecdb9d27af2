/** The same server URL pointing at another database: `postgres://h/postgres` → `postgres://h/<name>`. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
