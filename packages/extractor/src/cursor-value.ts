import { ReelhouseError } from '@reelhouse/core';

/** A UTC timestamp as the cursor keeps it: ISO 8601 with up to microseconds, `Z` suffix. */
const cursorPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/**
 * SQL that formats a `timestamptz` expression as cursor text in UTC with microseconds, so the
 * value never passes through a JavaScript Date (node-postgres would truncate it to milliseconds).
 */
export function cursorTextSql(expression: string): string {
  return `to_char(${expression} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * A cursor as a SQL literal for a statement that cannot take parameters (COPY); the text is
 * checked against the cursor format first, so nothing else can reach the SQL.
 */
export function cursorLiteral(cursor: string, stream: string): string {
  if (!cursorPattern.test(cursor)) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `stream ${stream}: stored cursor ${JSON.stringify(cursor)} is not a UTC timestamp like 2026-01-31T12:00:00.123456Z`,
      context: { stream, table: 'raw._state' },
    });
  }
  return `'${cursor}'::timestamptz`;
}
