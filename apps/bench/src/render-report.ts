import type { BenchReport, ContenderSummary, StageResult } from './bench-report.ts';

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const megabytesPerSecond = (c: ContenderSummary) =>
  c.bytesPerSecond === undefined ? '' : (c.bytesPerSecond / 2 ** 20).toFixed(0);

/** One row per contender, then one per target with its ratio, the required ratio and the verdict. */
function stageTables(stages: readonly StageResult[]): string[] {
  const lines = [
    '| stage | contender | median s | rows/s | MiB/s | peak RSS MB | runs s |',
    '|---|---|---:|---:|---:|---:|---|',
  ];
  for (const stage of stages) {
    for (const c of [stage.ours, ...stage.baselines]) {
      lines.push(
        `| ${stage.stage} | ${c.name} | ${seconds(c.medianMs)} | ${count(c.rowsPerSecond)} | ${megabytesPerSecond(c)} | ${c.maxRssMb.toFixed(0)} | ${runsCell(c.runsMs)} |`,
      );
    }
  }
  lines.push('', '| stage | target | ratio | required | met |', '|---|---|---:|---:|:---:|');
  for (const stage of stages) {
    for (const o of stage.outcomes)
      lines.push(
        `| ${stage.stage} | ${o.description} | ${o.ratio.toFixed(2)} | ${o.required.toFixed(2)} | ${o.met ? 'yes' : '**no**'} |`,
      );
  }
  return lines;
}

/** Every run's time, or for many samples (a dashboard stage's requests) their count and range. */
function runsCell(runsMs: readonly number[]): string {
  if (runsMs.length <= 10) return runsMs.map(seconds).join(' / ');
  return `${runsMs.length} samples, ${seconds(Math.min(...runsMs))}–${seconds(Math.max(...runsMs))}`;
}

/** The same stages at several scales: medians, time growth against session growth, and peak RSS; stages measured at one scale only are left out. */
export function renderScaleCurve(reports: readonly BenchReport[]): string[] {
  const sorted = [...reports].sort((a, b) => a.sessions - b.sessions);
  const names = [...new Set(sorted.flatMap((r) => r.stages.map((s) => s.stage)))];
  const rows = names
    .map((name) => ({
      name,
      at: sorted.map((r) => ({
        sessions: r.sessions,
        stage: r.stages.find((s) => s.stage === name),
      })),
    }))
    .filter((row) => row.at.filter((cell) => cell.stage !== undefined).length >= 2);
  if (rows.length === 0) return [];
  const header = sorted.map((r) => `${count(r.sessions)} s`).join(' | ');
  const rss = sorted.map((r) => `${count(r.sessions)} RSS MB`).join(' | ');
  const lines = [
    '## Scale curve',
    '',
    `| stage | ${header} | time × / sessions × | ${rss} |`,
    `|---|${sorted.map(() => '---:').join('|')}|---:|${sorted.map(() => '---:').join('|')}|`,
  ];
  for (const row of rows) {
    const measured = row.at.filter((cell) => cell.stage !== undefined);
    const first = measured[0];
    const last = measured.at(-1);
    const growth =
      first?.stage === undefined || last?.stage === undefined
        ? ''
        : `${(last.stage.ours.medianMs / first.stage.ours.medianMs).toFixed(1)} / ${(last.sessions / first.sessions).toFixed(0)}`;
    const times = row.at
      .map((cell) => (cell.stage === undefined ? '' : seconds(cell.stage.ours.medianMs)))
      .join(' | ');
    const memory = row.at
      .map((cell) => (cell.stage === undefined ? '' : cell.stage.ours.maxRssMb.toFixed(0)))
      .join(' | ');
    lines.push(`| ${row.name} | ${times} | ${growth} | ${memory} |`);
  }
  return ['', ...lines];
}

/** The line of a failure that says what went wrong (an `Error:` line, a psql `ERROR:`, a pipeline task's `failed:`), else the first line. */
export function failureSummary(message: string): string {
  const lines = message.split('\n').map((line) => line.trim());
  const telling = lines
    .slice(1)
    .find(
      (line) =>
        /^[A-Za-z]*Error: /.test(line) || line.startsWith('ERROR: ') || line.includes(': failed: '),
    );
  return telling ?? lines[0] ?? '';
}

/** Markdown: the machine, one table of every contender per stage, the targets, notes, failures and the scale curve. */
export function renderMarkdown(
  report: BenchReport,
  otherScales: readonly BenchReport[] = [],
): string {
  const m = report.machine;
  const lines = [
    `# Reelhouse benchmark: ${count(report.sessions)} sessions`,
    '',
    `${report.startedAt} → ${report.finishedAt} · ${m.cores} cores (${m.cpu}) · ${m.memoryGb} GiB · ${m.os} · Node ${m.node} · ${m.postgres} · ${m.mongo} · pgloader ${m.pgloader}`,
    '',
    `Data set \`${report.dataSet.folder}\`: ${Object.entries(report.dataSet.counts)
      .map(([k, v]) => `${count(v)} ${k}`)
      .join(', ')}; ${(report.dataSet.bytes / 2 ** 20).toFixed(0)} MiB.`,
    '',
    `Each contender ran ${report.runs} time(s)${report.warmup ? ' after a warm-up' : ''}, interleaved; medians. Ratio = baseline time / Reelhouse time (1.00 = as fast).`,
    'Reelhouse steps run in a child process each (peak RSS from `/usr/bin/time -v`); their time covers the call, not Node start-up. Baselines: wall time of the command.',
    '',
    ...stageTables(report.stages),
  ];
  const notes = report.stages.flatMap((s) => s.notes.map((n) => `- ${s.stage}: ${n}`));
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes);
  for (const stage of report.stages)
    for (const table of stage.tables ?? [])
      lines.push(
        '',
        `### ${stage.stage}: ${table.title}`,
        '',
        `| ${table.columns.join(' | ')} |`,
        `|---|${table.columns
          .slice(1)
          .map(() => '---:|')
          .join('')}`,
        ...table.rows.map((row) => `| ${row.join(' | ')} |`),
      );
  const profiled = report.stages.filter((s) => s.profile !== undefined && s.profile.length > 0);
  if (profiled.length > 0) {
    lines.push('', '## Where the Reelhouse time goes (CPU profile of one run, self time)', '');
    for (const stage of profiled) {
      lines.push(`### ${stage.stage}`, '', '| function | self ms | share |', '|---|---:|---:|');
      for (const entry of stage.profile ?? [])
        lines.push(
          `| \`${entry.frame}\` | ${entry.selfMs.toFixed(0)} | ${(entry.share * 100).toFixed(1)}% |`,
        );
      lines.push('');
    }
  }
  if (report.failures.length > 0)
    lines.push(
      '',
      '## Stages that did not run',
      '',
      ...report.failures.map((f) => `- ${f.stage}: ${failureSummary(f.error)}`),
    );
  lines.push(
    ...renderScaleCurve([report, ...otherScales.filter((r) => r.sessions !== report.sessions)]),
  );
  return `${lines.join('\n')}\n`;
}
