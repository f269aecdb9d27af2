import { parseArgs } from 'node:util';

import { DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { MetricQuery } from '@reelhouse/metrics';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { sql } from 'kysely';

import { parseDashboardParams, resolveFilters } from './dashboard-filters.ts';
import { importWarehouse } from './imported-warehouse.ts';
import { panelDefinitions } from './panel-definitions.ts';
import { panelQuery } from './run-panel.ts';

// `pnpm --filter @reelhouse/dashboard panel-costs --url WAREHOUSE_URL --file copy.duckdb
//   --variant preset=365d [--variant ...] [--panel id ...] [--runs 3] [--explain 3]`
// times every panel's query on the in-memory copy (made first when the file is missing), one
// query at a time, under the given filter sets (the bench's report lists the uncached ones it
// uses): the figures behind its uncached p95, without the HTTP server, to compare query forms. `--explain N`
// prints the SQL and DuckDB's EXPLAIN ANALYZE of the N slowest.
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    file: { type: 'string' },
    variant: { type: 'string', multiple: true },
    panel: { type: 'string', multiple: true },
    runs: { type: 'string', default: '3' },
    explain: { type: 'string', default: '0' },
  },
});
const variants = values.variant;
if (values.url === undefined || values.file === undefined || variants === undefined)
  throw new Error(
    'panel-costs: --url (the warehouse), --file (the copy) and at least one --variant (a filter set, as in a page URL) are required',
  );
const runs = Number(values.runs);
const db = createKysely<TrustedSchema>(createPool({ url: values.url, max: 2 }));
try {
  const made = performance.now();
  const copy = await importWarehouse({
    db,
    url: values.url,
    loadKey: 'panel-costs',
    path: values.file,
  });
  console.log(`copy ready in ${((performance.now() - made) / 1000).toFixed(1)} s`);
  const latest = await sql<{ day: string }>`
    select to_char(max(full_date), 'YYYY-MM-DD') as day from trusted.dim_date d
    where exists (select 1 from trusted.fact_viewing_session f where f.date_key = d.date_key)`.execute(
    db,
  );
  const latestDay = latest.rows[0]!.day;
  const panels = panelDefinitions.filter(
    (panel) => values.panel === undefined || values.panel.includes(panel.id),
  );
  const rows: { panel: string; variant: string; query: MetricQuery; ms: number[] }[] = [];
  for (const variant of variants) {
    const params = parseDashboardParams(
      Object.fromEntries([...new URLSearchParams(variant)].map(([key, value]) => [key, [value]])),
    );
    if (!params.ok) throw new Error(`${variant}: ${params.problems.join('; ')}`);
    const filters = resolveFilters(params.params, latestDay);
    for (const panel of panels) {
      const { query } = panelQuery(panel, filters);
      const ms: number[] = [];
      for (let run = 0; run < runs; run += 1) {
        const started = performance.now();
        await copy.run(query);
        ms.push(performance.now() - started);
      }
      rows.push({ panel: panel.id, variant, query, ms: ms.sort((a, b) => a - b) });
    }
  }
  rows.sort((a, b) => b.ms[0]! - a.ms[0]!);
  console.log('fastest of runs, ms | panel | filters');
  for (const row of rows)
    console.log(`${row.ms[0]!.toFixed(0).padStart(6)} | ${row.panel} | ${row.variant}`);
  const explained = rows.slice(0, Number(values.explain));
  if (explained.length > 0) {
    const instance = await DuckDBInstance.create(values.file, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    await connection.run(`set time zone 'UTC'`);
    for (const row of explained) {
      const compiled = copy.compile(row.query);
      const plan = await connection.runAndReadAll(
        `explain analyze ${compiled.sql}`,
        compiled.parameters as DuckDBValue[],
      );
      console.log(
        `\n== ${row.panel} | ${row.variant}\n${compiled.sql}\n${JSON.stringify(compiled.parameters)}`,
      );
      for (const line of plan.getRows()) console.log(String(line[1]));
    }
    connection.closeSync();
    instance.closeSync();
  }
  copy.close();
} finally {
  await db.destroy();
}
