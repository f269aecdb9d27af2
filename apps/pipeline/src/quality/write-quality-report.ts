import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { silentLogger, type Logger, type StepReport } from '@reelhouse/core';
import type { Db } from 'mongodb';
import type pg from 'pg';

import { collectQualityReport } from './collect-quality-report.ts';
import type { QualityReport } from './quality-report.ts';
import { renderQualityMarkdown } from './render-quality-markdown.ts';

export interface WriteQualityReportOptions {
  readonly source: pg.Pool;
  readonly warehouse: pg.Pool;
  readonly mongo: Db;
  /** Folder of `quality-report.json` and `quality-report.md`. */
  readonly outDir: string;
  /** Folder of the model build's `run_results.json`. */
  readonly modelsDir: string;
  readonly runId: string;
  readonly logger?: Logger;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

/** Collects the quality report and writes it as JSON and Markdown; returns it with the files written. */
export async function writeQualityReport(
  options: WriteQualityReportOptions,
): Promise<StepReport & { readonly report: QualityReport; readonly files: readonly string[] }> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const report = await collectQualityReport({
    ...options,
    runResultsPath: join(options.modelsDir, 'run_results.json'),
  });
  const files = [
    join(options.outDir, 'quality-report.json'),
    join(options.outDir, 'quality-report.md'),
  ] as const;
  await writeAtomically(files[0], `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(files[1], renderQualityMarkdown(report));
  logger.info({ status: report.status, files }, 'quality report written');
  const rows = report.streams.reduce((sum, s) => sum + (s.rawRows ?? 0), 0);
  const rejected = report.streams.reduce(
    (sum, s) => sum + (s.sourceRejects ?? 0) + s.rawRejects,
    0,
  );
  return {
    step: 'quality_report',
    rowsRead: rows,
    rowsWritten: 0,
    rowsRejected: rejected,
    durationMs: Math.round(performance.now() - started),
    warnings: report.status === 'pass' ? [] : [`quality status ${report.status}`],
    report,
    files,
  };
}
