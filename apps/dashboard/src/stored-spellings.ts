import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import {
  caseInsensitiveDimensions,
  categoryExpression,
  type DimensionName,
  type MetricSource,
} from '@reelhouse/metrics';
import type { TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely, type RawBuilder } from 'kysely';

/** Per text dimension: its expression, and each lower-cased value it takes with its spellings. */
type Spellings = ReadonlyMap<
  DimensionName,
  { expression: RawBuilder<unknown>; byLowered: ReadonlyMap<string, readonly string[]> }
>;

async function spellingsOf(
  connection: DuckDBConnection,
  db: Kysely<TrustedSchema>,
  source: MetricSource,
): Promise<Spellings> {
  const spellings = new Map<
    DimensionName,
    { expression: RawBuilder<unknown>; byLowered: Map<string, string[]> }
  >();
  for (const name of caseInsensitiveDimensions) {
    const expression = categoryExpression(source, name);
    if (expression === undefined) continue;
    let query = source.from(db);
    if (source.where !== undefined) query = query.where(source.where);
    const compiled = query
      .select([expression.as('value'), sql`lower(${expression})`.as('lowered')])
      .distinct()
      .where(expression, 'is not', null)
      .compile();
    const rows = (
      await connection.runAndReadAll(compiled.sql, compiled.parameters as DuckDBValue[])
    ).getRowObjects();
    const byLowered = new Map<string, string[]>();
    for (const row of rows) {
      const lowered = String(row['lowered']);
      const known = byLowered.get(lowered);
      if (known === undefined) byLowered.set(lowered, [String(row['value'])]);
      else known.push(String(row['value']));
    }
    spellings.set(name, { expression, byLowered });
  }
  return spellings;
}

/**
 * The sources with the copy's exact form of a text filter. `lower(x) in (…)` turns every row's
 * stored ENUM back into text to lower-case it, most of a filtered panel's time at 10M sessions.
 * The copy never changes, so the values each text dimension takes are read once (with DuckDB's
 * own `lower`), and the filter becomes `x in (<the spellings whose lower-case is asked for>)`,
 * compared as enum codes; a value the copy lacks matches nothing, as in the warehouse.
 */
export async function withStoredSpellings(options: {
  connection: DuckDBConnection;
  db: Kysely<TrustedSchema>;
  sources: readonly MetricSource[];
}): Promise<MetricSource[]> {
  const sources: MetricSource[] = [];
  for (const source of options.sources) {
    const spellings = await spellingsOf(options.connection, options.db, source);
    if (spellings.size === 0) {
      sources.push(source);
      continue;
    }
    const matchesIgnoringCase = (dimension: DimensionName, lowered: readonly string[]) => {
      const stored = spellings.get(dimension);
      if (stored === undefined) return undefined;
      const { expression, byLowered } = stored;
      const values = [...new Set(lowered.flatMap((value) => byLowered.get(value) ?? []))];
      return values.length === 0
        ? sql<boolean>`false`
        : sql<boolean>`${expression} in (${sql.join(values.map((value) => sql.val(value)))})`;
    };
    sources.push({ ...source, matchesIgnoringCase });
  }
  return sources;
}
