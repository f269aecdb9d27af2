import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

import { benchReport, type BenchReport } from './bench-report.ts';
import { renderMarkdown } from './render-report.ts';

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** The latest report of every scale found in `resultsDir` (`sessions-<n>.json`), invalid files skipped. */
export function readScaleReports(resultsDir: string): BenchReport[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((name) => /^sessions-\d+\.json$/.test(name))
    .flatMap((name) => {
      const parsed = benchReport.safeParse(
        JSON.parse(readFileSync(join(resultsDir, name), 'utf8')),
      );
      return parsed.success ? [parsed.data] : [];
    });
}

/**
 * Validates the report against its schema, then writes `sessions-<n>.json` (the latest at that
 * scale, for the scale curve) and `latest.json` + `latest.md`; with a `name`, only
 * `sessions-<n>-<name>.json` + `.md`, which neither the scale curve nor `latest` read. Returns the Markdown.
 */
export function writeResults(options: {
  resultsDir: string;
  report: BenchReport;
  name?: string | undefined;
}): string {
  const report = benchReport.parse(options.report);
  mkdirSync(options.resultsDir, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.name !== undefined) {
    const base = join(options.resultsDir, `sessions-${report.sessions}-${options.name}`);
    const markdown = renderMarkdown(report);
    writeAtomically(`${base}.json`, json);
    writeAtomically(`${base}.md`, markdown);
    return markdown;
  }
  writeAtomically(join(options.resultsDir, `sessions-${report.sessions}.json`), json);
  const markdown = renderMarkdown(report, readScaleReports(options.resultsDir));
  writeAtomically(join(options.resultsDir, 'latest.json'), json);
  writeAtomically(join(options.resultsDir, 'latest.md'), markdown);
  return markdown;
}
