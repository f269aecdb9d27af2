import {
  caseInsensitiveDimensions,
  dimensionDefinitions,
  periodBounds,
  type DimensionName,
  type MetricQuery,
  type MetricResult,
  type MetricRow,
} from '@reelhouse/metrics';
import type { TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';

/** The columns the index holds, each read as the `sessions` source reads it. */
const indexedColumns = {
  country: sql<string | null>`f.country_code`,
  region: sql<string | null>`f.region`,
  device: sql<string | null>`f.device_type`,
  plan: sql<string | null>`u.plan`,
  quality: sql<string | null>`f.quality`,
  genre: sql<string | null>`c.primary_genre`,
  content_type: sql<string | null>`c.content_type`,
  age_band: sql<string | null>`u.age_band`,
  gender: sql<string | null>`u.gender`,
  acquisition_channel: sql<string | null>`u.acquisition_channel`,
} as const satisfies Partial<Record<DimensionName, unknown>>;
type IndexedDimension = keyof typeof indexedColumns;
const indexed = Object.keys(indexedColumns) as IndexedDimension[];
const isIndexed = (name: DimensionName): name is IndexedDimension => name in indexedColumns;

/**
 * Every session's day, user and slicer values as typed arrays, in day order: exact distinct-user
 * counts (`active_users`) by one pass over the range, where SQL sorts millions of user ids.
 */
export interface ActiveUsersIndex {
  readonly loadKey: string;
  readonly sessions: number;
  /** The answer of `query` when it asks `active_users` alone by at most one indexed dimension. */
  answer(query: MetricQuery): MetricResult | undefined;
}

interface Columns {
  readonly day: Int32Array;
  /** Dense user number; -1 for the unknown member (its rows form groups but count no user). */
  readonly user: Int32Array;
  readonly codes: Record<IndexedDimension, Uint16Array>;
  readonly values: Record<IndexedDimension, (string | null)[]>;
  readonly users: number;
}

const dayKeyOf = (ms: number) =>
  Number(new Date(ms).toISOString().slice(0, 10).replaceAll('-', ''));
const msOfKey = (key: number) =>
  Date.UTC(Math.floor(key / 10_000), (Math.floor(key / 100) % 100) - 1, key % 100);
/** Days per statement: a few hundred thousand rows at 10M sessions, well within a statement timeout. */
const batchDays = 7;

/** Reads the fact with its user and content joins, one month per statement (bounded memory). */
export async function loadActiveUsersIndex(
  db: Kysely<TrustedSchema>,
  loadKey: string,
): Promise<ActiveUsersIndex> {
  const bounds = await sql<{ n: number; first: number | null; last: number | null }>`
    select count(*)::int as n, min(date_key) as first, max(date_key) as last
    from trusted.fact_viewing_session`.execute(db);
  const { n, first, last } = bounds.rows[0] ?? { n: 0, first: null, last: null };
  const day = new Int32Array(n);
  const user = new Int32Array(n);
  const codes = Object.fromEntries(indexed.map((name) => [name, new Uint16Array(n)])) as Record<
    IndexedDimension,
    Uint16Array
  >;
  const values = Object.fromEntries(indexed.map((name) => [name, []])) as unknown as Record<
    IndexedDimension,
    (string | null)[]
  >;
  const dictionaries = Object.fromEntries(
    indexed.map((name) => [name, new Map<string | null, number>()]),
  ) as Record<IndexedDimension, Map<string | null, number>>;
  const userNumbers = new Map<string, number>();
  let rows = 0;
  for (
    let startMs = first === null ? Infinity : msOfKey(first);
    last !== null && startMs <= msOfKey(last);
    startMs += batchDays * 86_400_000
  ) {
    const batch = await sql<Record<string, string | number | null>>`
      select f.date_key, u.user_key, u.user_id,
        ${sql.join(indexed.map((name) => sql`${indexedColumns[name]} as ${sql.ref(name)}`))}
      from trusted.fact_viewing_session f
      join trusted.dim_user u on u.user_key = f.user_key
      join trusted.dim_content c on c.content_key = f.content_key
      where f.date_key >= ${dayKeyOf(startMs)} and f.date_key < ${dayKeyOf(startMs + batchDays * 86_400_000)}
      order by f.date_key`.execute(db);
    for (const row of batch.rows) {
      // Rows a build added since the count are left out: the next load key reloads them all.
      if (rows >= n) break;
      day[rows] = Number(row['date_key']);
      if (Number(row['user_key']) === -1) user[rows] = -1;
      else {
        const id = String(row['user_id']);
        let number = userNumbers.get(id);
        if (number === undefined) userNumbers.set(id, (number = userNumbers.size));
        user[rows] = number;
      }
      for (const name of indexed) {
        const value = row[name] as string | null;
        let code = dictionaries[name].get(value);
        if (code === undefined) {
          code = dictionaries[name].size;
          dictionaries[name].set(value, code);
          values[name].push(value);
        }
        codes[name][rows] = code;
      }
      rows += 1;
    }
  }
  const columns: Columns = {
    day: day.subarray(0, rows),
    user: user.subarray(0, rows),
    codes,
    values,
    users: userNumbers.size,
  };
  return {
    loadKey,
    sessions: rows,
    answer: (query) => answerFromColumns(columns, query),
  };
}

/** Index of the first row whose day is at least `key` (rows are in day order). */
function lowerBound(day: Int32Array, key: number): number {
  let low = 0;
  let high = day.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (day[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

function answerFromColumns(columns: Columns, query: MetricQuery): MetricResult | undefined {
  if (query.metrics.length !== 1 || query.metrics[0] !== 'active_users') return undefined;
  if (query.dimensions.length > 1) return undefined;
  const by = query.dimensions[0];
  if (by !== undefined && !isIndexed(by)) return undefined;
  const filters = Object.entries(query.filters) as [DimensionName, (string | number)[]][];
  if (!filters.every(([name]) => isIndexed(name))) return undefined;

  const period = periodBounds(query);
  // A mask per filtered column, over its codes: the SQL's `in` (lower-cased for free text).
  const masks = filters.map(([name, list]) => {
    const dimension = name as IndexedDimension;
    const folded = caseInsensitiveDimensions.has(name);
    const wanted = new Set(
      list.map((value) => (folded ? String(value).toLowerCase() : String(value))),
    );
    const mask = new Uint8Array(columns.values[dimension].length);
    columns.values[dimension].forEach((value, code) => {
      if (value !== null && wanted.has(folded ? value.toLowerCase() : value)) mask[code] = 1;
    });
    return { codes: columns.codes[dimension], mask };
  });
  const groupCodes = by === undefined ? undefined : columns.codes[by];
  const groups = by === undefined ? 1 : columns.values[by].length;
  const start = lowerBound(columns.day, period.previousFromKey);
  const end = lowerBound(columns.day, period.toKey + 1);
  const present = new Uint8Array(groups);
  const current = new Float64Array(groups);
  const previous = new Float64Array(groups);
  // One mark per group and user and period: bit 1 current, bit 2 previous.
  const marks = Array.from({ length: groups }, () => new Uint8Array(columns.users));
  rows: for (let row = start; row < end; row += 1) {
    for (const { codes, mask } of masks) if (mask[codes[row]!] === 0) continue rows;
    const group = groupCodes === undefined ? 0 : groupCodes[row]!;
    present[group] = 1;
    const number = columns.user[row]!;
    if (number < 0) continue;
    const bit = columns.day[row]! >= period.fromKey ? 1 : 2;
    const seen = marks[group]!;
    if ((seen[number]! & bit) !== 0) continue;
    seen[number] = seen[number]! | bit;
    if (bit === 1) current[group] = current[group]! + 1;
    else previous[group] = previous[group]! + 1;
  }
  const resultRows: MetricRow[] = [];
  if (by === undefined)
    resultRows.push({
      dimensions: {},
      values: { active_users: { current: current[0]!, previous: previous[0]! } },
    });
  else
    for (let group = 0; group < groups; group += 1)
      if (present[group] === 1)
        resultRows.push({
          dimensions: { [by]: columns.values[by][group] ?? null },
          values: { active_users: { current: current[group]!, previous: previous[group]! } },
        });
  if (by !== undefined) resultRows.sort(compareRows(by));
  return {
    query,
    source: 'sessions',
    period,
    rows: resultRows.slice(0, query.limit),
  };
}

/** The SQL's order: the count descending (unless the dimension reads by value), then the value, nulls last. */
function compareRows(by: IndexedDimension) {
  const value = (row: MetricRow) => row.dimensions[by] as string | null;
  const byValue = (a: MetricRow, b: MetricRow) => {
    const [x, y] = [value(a), value(b)];
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    // Byte order, as the warehouse's C collation compares.
    return Buffer.compare(Buffer.from(x), Buffer.from(y));
  };
  const definition = dimensionDefinitions[by];
  if (definition.kind === 'category' && definition.sortByValue) return byValue;
  return (a: MetricRow, b: MetricRow) =>
    (b.values.active_users?.current ?? 0) - (a.values.active_users?.current ?? 0) || byValue(a, b);
}
