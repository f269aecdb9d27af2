// Loader vs `psql \copy` on the same 1M-row file and table, in one run:
//   pnpm --filter @reelhouse/loaders exec tsx bench/csv-load-bench.ts [rows] [server-url]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import pg from 'pg';

import { viewingSessionColumns } from '@reelhouse/contracts';

import { createPostgresTables, loadCsvsToPostgres } from '../src/index.ts';
import { writeBenchCsv } from './write-bench-csv.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const serverUrl = process.argv[3] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dir = `/tmp/reelhouse-loaders-bench-${rows}`;
const database = 'rh_loaders_bench';
const databaseUrl = serverUrl.replace(/\/[^/]*$/, `/${database}`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!existsSync(`${dir}/viewing_sessions.csv`)) {
    mkdirSync(dir, { recursive: true });
    await writeBenchCsv({ dir, rows });
  }
  const server = new pg.Pool({ connectionString: serverUrl, max: 1 });
  await server.query(`DROP DATABASE IF EXISTS ${database}`);
  await server.query(`CREATE DATABASE ${database}`);
  await server.end();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  await createPostgresTables(pool);
  const psqlSeconds: number[] = [];
  const loaderSeconds: number[] = [];
  const file = `${dir}/viewing_sessions.csv`;
  for (let round = 0; round < 4; round += 1) {
    await pool.query('TRUNCATE public.viewing_sessions');
    await pool.query('CHECKPOINT');
    let started = performance.now();
    execFileSync('/usr/bin/psql', [
      databaseUrl,
      '-q',
      '-c',
      `\\copy public.viewing_sessions (${viewingSessionColumns.join(', ')}) FROM '${file}' WITH (FORMAT csv, HEADER true)`,
    ]);
    const psql = (performance.now() - started) / 1000;
    await pool.query('TRUNCATE public.viewing_sessions');
    await pool.query('CHECKPOINT');
    started = performance.now();
    const report = await loadCsvsToPostgres(pool, { dataDir: dir });
    const loader = (performance.now() - started) / 1000;
    // Round 0 warms caches and is not counted.
    if (round > 0) {
      psqlSeconds.push(psql);
      loaderSeconds.push(loader);
    }
    process.stdout.write(
      `round ${round}: psql \\copy ${psql.toFixed(2)} s, loader ${loader.toFixed(2)} s (${report.rowsWritten} rows, ${report.rowsRejected} rejected)\n`,
    );
  }
  let started = performance.now();
  const rerun = await loadCsvsToPostgres(pool, { dataDir: dir });
  const rerunSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  await pool.end();
  const psql = median(psqlSeconds);
  const loader = median(loaderSeconds);
  process.stdout.write(
    [
      `file: ${file} (${rows} rows, ${(statSync(file).size / 1e6).toFixed(0)} MB)`,
      `psql \\copy median ${psql.toFixed(2)} s = ${Math.round(rows / psql)} rows/s`,
      `loader      median ${loader.toFixed(2)} s = ${Math.round(rows / loader)} rows/s`,
      `ratio loader/psql rows/s: ${(psql / loader).toFixed(2)} (target >= 0.8)`,
      `rerun into the full table (staging + merge, ${rerun.rowsWritten} rows changed): ${rerunSeconds.toFixed(2)} s`,
      `peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    ].join('\n') + '\n',
  );
}

await main();
