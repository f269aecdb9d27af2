import type { StageResult } from './bench-result.ts';

export interface MachineInfo {
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly postgres: string;
  readonly mongo: string;
  readonly pgloader: string;
  readonly cpu: string;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly sessions: number;
  readonly machine: MachineInfo;
  readonly stages: readonly StageResult[];
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const perSecond = (rows: number) => Math.round(rows).toLocaleString('en-US');

/** Markdown: one table of every contender per stage, then each target with its ratio and verdict. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# Reelhouse benchmark: ${report.sessions.toLocaleString('en-US')} sessions`,
    '',
    `${report.startedAt} · ${m.cores} cores (${m.cpu}) · ${m.memoryGb} GiB · Node ${m.node} · ${m.postgres} · ${m.mongo} · pgloader ${m.pgloader}`,
    '',
    'Each contender ran three times after a warm-up; medians. Ratio = baseline time / Reelhouse time (1.00 = as fast).',
    '',
    '| stage | contender | median s | rows/s | peak RSS MB | runs s |',
    '|---|---|---:|---:|---:|---|',
  ];
  for (const stage of report.stages) {
    for (const c of [stage.ours, ...stage.baselines]) {
      lines.push(`| ${stage.stage} | ${c.name} | ${seconds(c.medianMs)} | ${perSecond(c.rowsPerSecond)} | ${c.maxRssMb.toFixed(0)} | ${c.runsMs.map(seconds).join(' / ')} |`);
    }
  }
  lines.push('', '| stage | target | ratio | met |', '|---|---|---:|:---:|');
  for (const stage of report.stages) {
    for (const o of stage.outcomes) lines.push(`| ${stage.stage} | ${o.description} | ${o.ratio.toFixed(2)} | ${o.met ? 'yes' : '**no**'} |`);
  }
  const notes = report.stages.flatMap((s) => s.notes.map((n) => `- ${s.stage}: ${n}`));
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes);
  return `${lines.join('\n')}\n`;
}
