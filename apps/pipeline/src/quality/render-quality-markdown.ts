import type { QualityReport } from './quality-report.ts';

const cell = (value: number | null): string =>
  value === null ? 'n/a' : value.toLocaleString('en-US');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return ['(none)'];
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

/** Renders the quality report as Markdown: streams, rejects, data tests, orphans, trusted tables. */
export function renderQualityMarkdown(report: QualityReport): string {
  const tests = report.tests ?? [];
  const notPassing = tests.filter((t) => t.status !== 'pass');
  const lines = [
    `# Data quality report`,
    '',
    `Run \`${report.runId}\`, generated ${report.generatedAt}. Status: **${report.status}**.`,
    '',
    '## Rows per stream',
    '',
    ...table(
      ['stream', 'source', 'source rows', 'rejected at load', 'raw rows', 'rejected at extract'],
      report.streams.map((s) => [
        s.stream,
        s.source,
        cell(s.sourceRows),
        cell(s.sourceRejects),
        cell(s.rawRows),
        cell(s.rawRejects),
      ]),
    ),
    '',
    '## Rejects',
    '',
    ...table(
      ['file', 'gate', 'rows'],
      report.sourceRejects.map((r) => [r.file, r.gate, cell(r.rows)]),
    ),
    '',
    ...table(
      ['raw stream', 'error code', 'rows'],
      report.rawRejects.map((r) => [r.stream, r.errorCode, cell(r.rows)]),
    ),
    '',
    '## Data tests',
    '',
    report.tests === null
      ? 'No model build results found.'
      : `${tests.length} tests: ${tests.filter((t) => t.status === 'pass').length} pass, ${tests.filter((t) => t.status === 'warn').length} warn, ${tests.filter((t) => t.status === 'error').length} error.`,
    '',
    ...(notPassing.length === 0
      ? []
      : table(
          ['model', 'test', 'status', 'failing rows'],
          notPassing.map((t) => [t.model, t.name, t.status, cell(t.failures)]),
        )),
    '',
    '## Orphans',
    '',
    ...table(
      ['check', 'rows'],
      report.orphans.map((o) => [o.check, cell(o.rows)]),
    ),
    '',
    '## Trusted tables',
    '',
    ...table(
      ['table', 'rows'],
      report.trustedTables.map((t) => [t.table, cell(t.rows)]),
    ),
    '',
  ];
  return lines.join('\n');
}
