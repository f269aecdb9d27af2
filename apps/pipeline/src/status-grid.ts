import type { OpsDagRun, OpsTaskRun } from '@reelhouse/warehouse';

const abbreviations: Readonly<Record<string, string>> = {
  queued: 'queued',
  running: 'RUNNING',
  success: 'ok',
  failed: 'FAILED',
  up_for_retry: 'retry',
  upstream_failed: 'upstream',
  skipped: 'skipped',
  interrupted: 'interrupted',
};

const duration = (run: OpsDagRun): string =>
  run.finished_at === null
    ? '-'
    : `${((run.finished_at.getTime() - run.started_at.getTime()) / 1000).toFixed(1)}s`;

/**
 * Renders recent runs as text: a list of runs (newest first), then a grid with one row per task
 * and one column per run, as Airflow's grid view.
 */
export function renderStatusGrid(options: {
  runs: readonly OpsDagRun[];
  taskRuns: readonly OpsTaskRun[];
  taskIds: readonly string[];
}): string {
  const { runs, taskRuns, taskIds } = options;
  if (runs.length === 0) return 'No runs yet: start one with `pnpm pipeline`.\n';
  const lines = ['runs (newest first):'];
  runs.forEach((run, index) => {
    lines.push(
      `  #${index + 1}  ${run.run_id}  ${run.state.padEnd(11)}  ${(run.logical_date ?? '-').padEnd(10)}  ${run.run_type.padEnd(9)}  started ${run.started_at.toISOString()}  ${duration(run).padStart(8)}  ${run.host}:${run.pid}`,
    );
  });
  // Airflow's view of a schedule: each logical date with the state of its latest run.
  const byDate = new Map<string, OpsDagRun>();
  for (const run of runs)
    if (run.logical_date !== null && !byDate.has(run.logical_date))
      byDate.set(run.logical_date, run);
  if (byDate.size > 0) {
    lines.push('', 'logical dates (latest run of each):');
    for (const [date, run] of [...byDate].sort(([a], [b]) => a.localeCompare(b)))
      lines.push(`  ${date}  ${run.state.padEnd(11)}  ${run.run_id}`);
  }
  const stateOf = new Map(taskRuns.map((t) => [`${t.run_id}\u0000${t.task_id}`, t]));
  const width = Math.max(4, ...taskIds.map((id) => id.length));
  const columns = runs.map((_, index) => `#${index + 1}`);
  const cellWidth = Math.max(...Object.values(abbreviations).map((a) => a.length)) + 3;
  lines.push(
    '',
    `${'task'.padEnd(width)}  ${columns.map((c) => c.padEnd(cellWidth)).join('')}`.trimEnd(),
  );
  for (const id of taskIds) {
    const cells = runs.map((run) => {
      const task = stateOf.get(`${run.run_id}\u0000${id}`);
      if (task === undefined) return '-'.padEnd(cellWidth);
      const tries = task.try_number > 1 ? `×${task.try_number}` : '';
      return `${abbreviations[task.state] ?? task.state}${tries}`.padEnd(cellWidth);
    });
    lines.push(`${id.padEnd(width)}  ${cells.join('')}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
