import { dataFiles } from '@reelhouse/contracts';
import type { StepReport } from '@reelhouse/core';
import { contentCollection } from '@reelhouse/loaders';
import type { Db } from 'mongodb';
import type pg from 'pg';

/** Rows of one data file loaded and quarantined: by this run's load, or else the sources' current state. */
export interface FileLoadSummary {
  readonly file: string;
  readonly loaded: number | null;
  readonly quarantined: number;
  /** `run`: counted by this run's load; `sources`: rows the source holds now (the file was not loaded by this run). */
  readonly from: 'run' | 'sources';
}

/** This run's load reports, when the load tasks ran (their `details` as the loaders write them). */
export interface LoadReports {
  readonly csv?: StepReport | undefined;
  readonly json?: StepReport | undefined;
}

const accepted = (report: StepReport | undefined): number | undefined => {
  const value = report?.details?.['accepted'];
  return typeof value === 'number' ? value : undefined;
};

/**
 * The base files' own load report: the load tasks apply the base and then the day batches, and
 * their report keeps the base load under its step name (absent when the base was applied before).
 */
function baseLoad(report: StepReport | undefined, step: string): StepReport | undefined {
  const inner = report?.details?.[step];
  if (typeof inner === 'object' && inner !== null && 'rowsRejected' in inner)
    return inner as StepReport;
  // A load report given directly (no day batches around it).
  return report?.step === step && report.details?.['appliedDays'] === undefined
    ? report
    : undefined;
}

/** The per-file report inside `load_csvs_to_postgres`'s combined report. */
function csvFileReport(report: StepReport | undefined, step: string): StepReport | undefined {
  const value = report?.details?.[step];
  return typeof value === 'object' && value !== null ? (value as StepReport) : undefined;
}

// `table` is a constant of this file, never input.
async function tableRows(source: pg.Pool, table: string): Promise<number | null> {
  const found = await source.query<{ found: boolean }>(
    'select to_regclass($1) is not null as found',
    [table],
  );
  if (found.rows[0]?.found !== true) return null;
  const { rows } = await source.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return rows[0]?.n ?? 0;
}

/** What each data file put into the sources: rows held and rows quarantined in `public.load_rejects`. */
export async function summarizeLoads(options: {
  source: pg.Pool;
  mongo: Db;
  reports: LoadReports;
}): Promise<FileLoadSummary[]> {
  const { source, mongo, reports } = options;
  const rejects = new Map<string, number>();
  const hasRejects = await source.query<{ found: boolean }>(
    "select to_regclass('public.load_rejects') is not null as found",
  );
  if (hasRejects.rows[0]?.found === true) {
    const { rows } = await source.query<{ file: string; n: number }>(
      'select file, count(*)::int as n from public.load_rejects group by file',
    );
    for (const row of rows) rejects.set(row.file, row.n);
  }
  const collections = await mongo.listCollections({ name: contentCollection }).toArray();
  const entry = (
    file: string,
    report: StepReport | undefined,
    held: () => Promise<number | null>,
  ): Promise<FileLoadSummary> => {
    const loaded = accepted(report);
    return loaded !== undefined && report !== undefined
      ? Promise.resolve({ file, loaded, quarantined: report.rowsRejected, from: 'run' })
      : held().then((rows) => ({
          file,
          loaded: rows,
          quarantined: rejects.get(file) ?? 0,
          from: 'sources',
        }));
  };
  return [
    await entry(
      dataFiles.users,
      csvFileReport(baseLoad(reports.csv, 'load_csvs_to_postgres'), 'load_users'),
      () => tableRows(source, 'public.users'),
    ),
    await entry(
      dataFiles.viewingSessions,
      csvFileReport(baseLoad(reports.csv, 'load_csvs_to_postgres'), 'load_viewing_sessions'),
      () => tableRows(source, 'public.viewing_sessions'),
    ),
    await entry(dataFiles.content, baseLoad(reports.json, 'load_json_to_mongo'), async () =>
      collections.length === 0 ? null : mongo.collection(contentCollection).countDocuments(),
    ),
  ];
}

/** The end-of-run lines: per file, rows loaded and quarantined, and where the reasons are. */
export function renderLoadSummary(files: readonly FileLoadSummary[]): string[] {
  const width = Math.max(...files.map((f) => f.file.length));
  const count = (n: number | null) => (n === null ? 'n/a' : n.toLocaleString('en-US'));
  const lines = files.map(
    (f) =>
      `  ${f.file.padEnd(width)}  ${
        f.from === 'run'
          ? `${count(f.loaded)} loaded, ${count(f.quarantined)} quarantined`
          : `not loaded by this run: the source holds ${count(f.loaded)} rows, the last load quarantined ${count(f.quarantined)}`
      }`,
  );
  const quarantined = files.reduce((sum, f) => sum + f.quarantined, 0);
  return [
    'sources:',
    ...lines,
    quarantined === 0
      ? '  nothing quarantined'
      : `  reasons: table public.load_rejects of the source database (file, line, gate, error_code, field, reason)`,
  ];
}
