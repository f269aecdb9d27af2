import { readFile } from 'node:fs/promises';

import { contentCollection, contentRejectsCollection } from '@reelhouse/loaders';
import type { Db } from 'mongodb';
import type pg from 'pg';
import { z } from 'zod';

import type {
  DataTestSummary,
  OrphanCheck,
  QualityReport,
  StreamQuality,
} from './quality-report.ts';

export interface CollectQualityOptions {
  readonly source: pg.Pool;
  readonly warehouse: pg.Pool;
  readonly mongo: Db;
  readonly runId: string;
  /** `run_results.json` of the model build. */
  readonly runResultsPath: string;
}

const runResults = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      tests: z.array(z.object({ name: z.string(), status: z.string(), failures: z.number() })),
    }),
  ),
});

async function exists(pool: pg.Pool, table: string): Promise<boolean> {
  const { rows } = await pool.query<{ found: boolean }>(
    'select to_regclass($1) is not null as found',
    [table],
  );
  return rows[0]?.found === true;
}

// Table names here are constants of this file, never input: quoting them is enough.
async function countRows(pool: pg.Pool, table: string): Promise<number | null> {
  if (!(await exists(pool, table))) return null;
  const quoted = table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from ${quoted}`);
  return rows[0]?.n ?? 0;
}

async function orphans(warehouse: pg.Pool): Promise<OrphanCheck[]> {
  const checks = [
    {
      check: 'raw.viewing_sessions.user_id not in raw.users',
      needs: ['raw.viewing_sessions', 'raw.users'],
      sql: 'select count(*)::int as n from raw.viewing_sessions s where not exists (select 1 from raw.users u where u.user_id = s.user_id)',
    },
    {
      // A session plays a movie (raw.content) or an episode (raw.content__seasons__episodes).
      check: 'raw.viewing_sessions.content_id not in raw.content or its episodes',
      needs: ['raw.viewing_sessions', 'raw.content', 'raw.content__seasons__episodes'],
      sql: 'select count(*)::int as n from raw.viewing_sessions s where not exists (select 1 from raw.content c where c.content_id = s.content_id) and not exists (select 1 from raw.content__seasons__episodes e where e.episode_id = s.content_id)',
    },
    {
      check: 'trusted.fact_viewing_session.user_key not in dim_user',
      needs: ['trusted.fact_viewing_session', 'trusted.dim_user'],
      sql: 'select count(*)::int as n from trusted.fact_viewing_session f where not exists (select 1 from trusted.dim_user d where d.user_key = f.user_key)',
    },
    {
      check: 'trusted.fact_viewing_session.content_key not in dim_content',
      needs: ['trusted.fact_viewing_session', 'trusted.dim_content'],
      sql: 'select count(*)::int as n from trusted.fact_viewing_session f where not exists (select 1 from trusted.dim_content d where d.content_key = f.content_key)',
    },
    {
      check: 'trusted.fact_viewing_session.date_key not in dim_date',
      needs: ['trusted.fact_viewing_session', 'trusted.dim_date'],
      sql: 'select count(*)::int as n from trusted.fact_viewing_session f where not exists (select 1 from trusted.dim_date d where d.date_key = f.date_key)',
    },
  ];
  const results: OrphanCheck[] = [];
  for (const check of checks) {
    const present = await Promise.all(check.needs.map((table) => exists(warehouse, table)));
    results.push({
      check: check.check,
      rows: present.every(Boolean)
        ? ((await warehouse.query<{ n: number }>(check.sql)).rows[0]?.n ?? 0)
        : null,
    });
  }
  return results;
}

async function dataTests(path: string): Promise<DataTestSummary[] | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const parsed = runResults.parse(JSON.parse(text));
  return parsed.models.flatMap((model) =>
    model.tests.map((test) => ({
      model: model.name,
      name: test.name,
      status: test.status,
      failures: test.failures,
    })),
  );
}

async function mongoCount(mongo: Db, collection: string): Promise<number | null> {
  const names = (await mongo.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
  return names.includes(collection) ? mongo.collection(collection).countDocuments() : null;
}

/** Reads the figures of the quality report from the sources, the warehouse and the model build's results. */
export async function collectQualityReport(options: CollectQualityOptions): Promise<QualityReport> {
  const { source, warehouse, mongo } = options;
  const hasLoadRejects = await exists(source, 'public.load_rejects');
  const sourceRejects = hasLoadRejects
    ? (
        await source.query<{ file: string; gate: string; rows: number }>(
          'select file, gate, count(*)::int as rows from public.load_rejects group by file, gate order by file, gate',
        )
      ).rows
    : [];
  const rawRejects = (await exists(warehouse, 'raw._rejected_rows'))
    ? (
        await warehouse.query<{ stream: string; errorCode: string; rows: number }>(
          'select stream, error_code as "errorCode", count(*)::int as rows from raw._rejected_rows group by stream, error_code order by stream, error_code',
        )
      ).rows
    : [];
  const rejectsOf = (stream: string) =>
    rawRejects.filter((r) => r.stream === stream).reduce((sum, r) => sum + r.rows, 0);
  const fileRejects = (file: string) =>
    !hasLoadRejects
      ? null
      : sourceRejects.filter((r) => r.file.endsWith(file)).reduce((sum, r) => sum + r.rows, 0);
  const streams: StreamQuality[] = [
    {
      stream: 'users',
      source: 'postgres',
      sourceRows: await countRows(source, 'public.users'),
      sourceRejects: fileRejects('users.csv'),
      rawRows: await countRows(warehouse, 'raw.users'),
      rawRejects: rejectsOf('users'),
    },
    {
      stream: 'viewing_sessions',
      source: 'postgres',
      sourceRows: await countRows(source, 'public.viewing_sessions'),
      sourceRejects: fileRejects('viewing_sessions.csv'),
      rawRows: await countRows(warehouse, 'raw.viewing_sessions'),
      rawRejects: rejectsOf('viewing_sessions'),
    },
    {
      stream: 'content',
      source: 'mongodb',
      sourceRows: await mongoCount(mongo, contentCollection),
      // Content rejects are kept in load_rejects too (they outlive the MongoDB-wire server).
      sourceRejects: hasLoadRejects
        ? fileRejects('content.json')
        : await mongoCount(mongo, contentRejectsCollection),
      rawRows: await countRows(warehouse, 'raw.content'),
      rawRejects: rejectsOf('content'),
    },
  ];
  const trustedNames = (
    await warehouse.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'trusted' and table_type = 'BASE TABLE' order by table_name",
    )
  ).rows;
  const trustedTables = [];
  for (const { name } of trustedNames)
    trustedTables.push({
      table: `trusted.${name}`,
      rows: (await countRows(warehouse, `trusted.${name}`)) ?? 0,
    });
  const tests = await dataTests(options.runResultsPath);
  const orphanChecks = await orphans(warehouse);
  const failedTests = tests?.some((t) => t.status === 'error') ?? false;
  const warnings =
    (tests?.some((t) => t.status === 'warn') ?? false) ||
    orphanChecks.some((o) => (o.rows ?? 0) > 0) ||
    streams.some((s) => (s.sourceRejects ?? 0) + s.rawRejects > 0);
  const missing = trustedTables.length === 0 || tests === null;
  return {
    runId: options.runId,
    generatedAt: new Date().toISOString(),
    status: failedTests || missing ? 'fail' : warnings ? 'warn' : 'pass',
    streams,
    sourceRejects,
    rawRejects,
    trustedTables,
    tests,
    orphans: orphanChecks,
  };
}
