// Extractor vs a `psql` COPY pipe between the same two databases, on ~1M generated sessions, in one run:
//   pnpm exec tsx packages/extractor/bench/extract-bench.ts [rows] [server-url] [rounds]
// (from the repository root; the server URL defaults to the machine's PostgreSQL). Prints a Markdown table.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { viewingSessionColumns } from '@reelhouse/contracts';
import { silentLogger } from '@reelhouse/core';
import { createPool } from '@reelhouse/warehouse';
import pg from 'pg';

import { ensureRawTables } from '../src/index.ts';
import { extractPostgresStream } from '../src/extract-postgres-stream.ts';
import { viewingSessionsStream } from '../src/postgres-stream.ts';
import { createSourceTables, insertSessions } from '../test/source-fixture.ts';

type Mode = 'full-binary' | 'full-text' | 'incremental';
interface Measured {
  readonly ms: number;
  readonly rows: number;
  readonly maxRssMb: number;
}

const childMode = process.argv[2] === '--child';
const rows = childMode ? 0 : Number(process.argv[2] ?? 1_000_000);
const serverUrl = process.argv[childMode ? 4 : 3] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Measured rounds after one warm-up (3 by default; 1 for a quick scale check). */
const rounds = childMode ? 0 : Number(process.argv[4] ?? 3);
const names = { source: 'rh_extract_bench_src', warehouse: 'rh_extract_bench_dw' };
const urlOf = (database: string) => serverUrl.replace(/\/[^/]*$/, `/${database}`);
const list = viewingSessionColumns.join(', ');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs one extraction in a fresh process, so its peak RSS is the extractor's own. */
function measureChild(mode: Mode): Measured {
  const output = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode, serverUrl],
    { encoding: 'utf8' },
  );
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Measured;
}

async function child(mode: Mode): Promise<void> {
  const source = createPool({ url: urlOf(names.source), applicationName: 'rh-extract-bench' });
  const warehouse = createPool({
    url: urlOf(names.warehouse),
    applicationName: 'rh-extract-bench',
  });
  const started = performance.now();
  const report = await extractPostgresStream({
    spec: viewingSessionsStream,
    source,
    warehouse,
    fullRefresh: mode !== 'incremental',
    forceTextCopy: mode === 'full-text',
    signal: undefined,
    logger: silentLogger,
  });
  const ms = performance.now() - started;
  await Promise.all([source.end(), warehouse.end()]);
  process.stdout.write(
    `${JSON.stringify({ ms, rows: report.rowsExtracted, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

function psqlPipe(): Measured {
  const started = performance.now();
  execFileSync('bash', [
    '-o',
    'pipefail',
    '-c',
    `psql -X -q -v ON_ERROR_STOP=1 -d "${urlOf(names.source)}" -c "copy (select ${list} from public.viewing_sessions) to stdout" | psql -X -q -v ON_ERROR_STOP=1 -d "${urlOf(names.warehouse)}" -c "copy bench_baseline.viewing_sessions (${list}) from stdin"`,
  ]);
  return { ms: performance.now() - started, rows, maxRssMb: Number.NaN };
}

async function prepare(): Promise<{ source: pg.Pool; warehouse: pg.Pool }> {
  const server = new pg.Pool({ connectionString: serverUrl, max: 1 });
  for (const name of Object.values(names)) {
    await server.query(`drop database if exists ${name} with (force)`);
    await server.query(`create database ${name}`);
  }
  await server.end();
  const source = new pg.Pool({ connectionString: urlOf(names.source), max: 2 });
  const warehouse = new pg.Pool({ connectionString: urlOf(names.warehouse), max: 2 });
  await createSourceTables(source);
  await insertSessions(source, {
    from: 1,
    to: rows,
    updatedAt: `'2025-01-01T00:00:00Z'::timestamptz + n * interval '1 millisecond' + interval '0.000001 second'`,
  });
  await source.query('vacuum analyze public.viewing_sessions');
  await ensureRawTables(warehouse);
  await warehouse.query('create schema bench_baseline');
  await warehouse.query(
    'create table bench_baseline.viewing_sessions (like raw.viewing_sessions including defaults)',
  );
  await warehouse.query(
    'alter table bench_baseline.viewing_sessions drop column _load_id, drop column _extracted_at, add primary key (session_id)',
  );
  return { source, warehouse };
}

async function main(): Promise<void> {
  const { source, warehouse } = await prepare();
  const results: Record<'psql pipe (text)' | Mode, Measured[]> = {
    'psql pipe (text)': [],
    'full-binary': [],
    'full-text': [],
    incremental: [],
  };
  for (let round = 0; round <= rounds; round += 1) {
    await warehouse.query('truncate bench_baseline.viewing_sessions');
    await warehouse.query('checkpoint');
    const pipe = psqlPipe();
    await warehouse.query('checkpoint');
    const binary = measureChild('full-binary');
    await warehouse.query('checkpoint');
    const text = measureChild('full-text');
    // Round 0 warms caches and is not counted.
    if (round > 0) {
      results['psql pipe (text)'].push(pipe);
      results['full-binary'].push(binary);
      results['full-text'].push(text);
    }
  }
  // Incremental: after a full load (the last one above), 1% new and 0.1% updated sessions.
  for (let round = 0; round < 3; round += 1) {
    const base = rows + round * Math.round(rows / 100);
    await insertSessions(source, {
      from: base + 1,
      to: base + Math.round(rows / 100),
      updatedAt: `now() + interval '${round + 1} day'`,
    });
    await source.query(`update public.viewing_sessions set watch_duration_s = watch_duration_s + 1, updated_at = now() + interval '${round + 1} day'
      where session_id in (select session_id from public.viewing_sessions tablesample bernoulli (0.1) repeatable (${round}))`);
    await warehouse.query('checkpoint');
    results.incremental.push(measureChild('incremental'));
  }
  await Promise.all([source.end(), warehouse.end()]);
  const pipeMs = median(results['psql pipe (text)'].map((m) => m.ms));
  const fullMs = median(results['full-binary'].map((m) => m.ms));
  const lines = [
    '| contender | rows | median s | rows/s | pipe speed ratio | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const [name, measured] of Object.entries(results)) {
    const ms = median(measured.map((m) => m.ms));
    const count = measured[0]?.rows ?? 0;
    const rss = Math.max(...measured.map((m) => m.maxRssMb));
    lines.push(
      `| ${name} | ${count} | ${(ms / 1000).toFixed(2)} | ${Math.round(count / (ms / 1000))} | ${(pipeMs / ms).toFixed(2)} | ${Number.isNaN(rss) ? '-' : rss.toFixed(0)} |`,
    );
  }
  lines.push(
    '',
    `incremental / full (binary) time: ${((median(results.incremental.map((m) => m.ms)) / fullMs) * 100).toFixed(1)}%`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (childMode) {
  await child(process.argv[3] as Mode);
} else {
  await main();
}
