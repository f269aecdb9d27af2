import type { TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';

import type { TrustedChanges } from './trusted-changes.ts';

/** Whether the dashboard has data to show, and the key that changes whenever `trusted` is reloaded. */
export type DataStatus =
  | {
      readonly ready: true;
      readonly loadKey: string;
      readonly firstDay: string;
      readonly latestDay: string;
      /** The last day, when its data ends before 23:00 UTC (a load taken mid-day): charts mark it. */
      readonly partialDay: string | undefined;
      /** Start of the newest session (ISO, UTC). */
      readonly dataEndsAt: string;
    }
  | { readonly ready: false; readonly loadKey: string; readonly reason: string };

const requiredTables = [
  'agg_daily_usage',
  'agg_daily_content',
  'fact_viewing_session',
  'dim_user',
  'dim_content',
] as const;

const dayOfKey = (key: number) =>
  `${String(key).slice(0, 4)}-${String(key).slice(4, 6)}-${String(key).slice(6, 8)}`;

/**
 * Reads the load key from the catalog (a build swaps tables, so file nodes change; an incremental
 * merge moves the row counters): a few microseconds, no scan. The date range is read only when the
 * key changed. Given `changes`, the catalog is read only after a build announced a publish (the
 * count is part of the key: a merge's row counters reach the catalog up to a second late) or once
 * `recheckMs` passed (changes made without a build); pass a `db` of its own connection so these
 * reads never queue behind panel queries.
 */
export function createDataStatusReader(
  db: Kysely<TrustedSchema>,
  options: {
    repairGrants?: () => Promise<void>;
    changes?: TrustedChanges;
    /** Default 1000 ms. */
    recheckMs?: number;
  } = {},
): () => Promise<DataStatus> {
  let last: DataStatus | undefined;
  let repairedFor: string | undefined;
  let seenAtLastRead: number | undefined;
  let lastReadAt = 0;
  const readTables = () =>
    sql<{ relname: string; fingerprint: string; readable: boolean }>`
      select c.relname, has_table_privilege(c.oid, 'SELECT') as readable, c.relfilenode::text || ':' || (coalesce(s.n_tup_ins, 0) + coalesce(s.n_tup_upd, 0) + coalesce(s.n_tup_del, 0))::text as fingerprint
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_stat_user_tables s on s.relid = c.oid
      where n.nspname = 'trusted' and c.relkind in ('r', 'p', 'v', 'm')
      order by c.relname`.execute(db);
  return async () => {
    let published = '';
    if (options.changes !== undefined) {
      const seen = await options.changes.seen();
      const fresh = performance.now() - lastReadAt < (options.recheckMs ?? 1_000);
      if (last !== undefined && seen === seenAtLastRead && fresh) return last;
      seenAtLastRead = seen;
      lastReadAt = performance.now();
      published = `;published=${seen}`;
    }
    let tables = await readTables();
    const unreadable = () =>
      tables.rows.filter(
        (row) => !row.readable && (requiredTables as readonly string[]).includes(row.relname),
      );
    // A first build moves new tables into trusted without the dashboard's grant: repair once per load.
    if (
      unreadable().length > 0 &&
      options.repairGrants !== undefined &&
      repairedFor !== tables.rows.map((row) => row.fingerprint).join()
    ) {
      repairedFor = tables.rows.map((row) => row.fingerprint).join();
      await options.repairGrants();
      tables = await readTables();
    }
    const loadKey = tables.rows
      .map((row) => `${row.relname}=${row.fingerprint}${row.readable ? '' : ':unreadable'}`)
      .join(';')
      .concat(published);
    if (last?.loadKey === loadKey) return last;
    const present = new Set(tables.rows.map((row) => row.relname));
    const missing = requiredTables.filter((table) => !present.has(table));
    if (unreadable().length > 0) {
      last = {
        ready: false,
        loadKey,
        reason: `The dashboard's database user may not read ${unreadable()
          .map((row) => `trusted.${row.relname}`)
          .join(
            ', ',
          )}: restart the dashboard with rights to set up its role, or grant SELECT on trusted to it.`,
      };
      return last;
    }
    if (missing.length > 0) {
      last = {
        ready: false,
        loadKey,
        reason: `The trusted schema has no ${missing.map((table) => `trusted.${table}`).join(', ')} yet.`,
      };
      return last;
    }
    const range = await db
      .selectFrom('trusted.agg_daily_usage')
      .select((eb) => [eb.fn.min('date_key').as('first'), eb.fn.max('date_key').as('latest')])
      .where('date_key', '>', 0)
      .executeTakeFirst();
    if (range?.first == null || range.latest == null) {
      last = {
        ready: false,
        loadKey,
        reason: 'The trusted tables exist but hold no sessions yet.',
      };
      return last;
    }
    // The fact table's date_key index keeps this to the last day's rows.
    const newest = await db
      .selectFrom('trusted.fact_viewing_session')
      .select((eb) => eb.fn.max('started_at').as('at'))
      .where('date_key', '=', range.latest)
      .executeTakeFirst();
    const latestDay = dayOfKey(range.latest);
    const endsAt =
      newest?.at == null ? `${latestDay}T23:59:59.000Z` : new Date(newest.at).toISOString();
    last = {
      ready: true,
      loadKey,
      firstDay: dayOfKey(range.first),
      latestDay,
      partialDay: endsAt < `${latestDay}T23:00:00.000Z` ? latestDay : undefined,
      dataEndsAt: endsAt,
    };
    return last;
  };
}
