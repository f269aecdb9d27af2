import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** A path segment from a run or task id: never a separator or a parent reference. */
const segment = (value: string): string => value.replaceAll('/', '_').replace(/^\.+/, '_');

/** Where a log line of a run goes: `<run>/<task>/<attempt>.jsonl`, or `<run>/run.jsonl` outside tasks. */
export function attemptLogPath(
  dir: string,
  line: { run_id?: unknown; task_id?: unknown; attempt?: unknown },
): string | undefined {
  if (typeof line.run_id !== 'string') return undefined;
  const run = join(dir, segment(line.run_id));
  if (typeof line.task_id !== 'string') return join(run, 'run.jsonl');
  const attempt = typeof line.attempt === 'number' ? line.attempt : 0;
  return join(run, segment(line.task_id), `${attempt}.jsonl`);
}

/**
 * A pino destination that files each JSON line of a run by run, task and attempt. Lines are
 * appended, so a resume, a retry or the next run never overwrites an earlier attempt's log.
 */
export function createAttemptLogStream(dir: string): { write(line: string): void } {
  const made = new Set<string>();
  return {
    write(line) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      const path = attemptLogPath(dir, parsed);
      if (path === undefined) return;
      const folder = join(path, '..');
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      appendFileSync(path, line.endsWith('\n') ? line : `${line}\n`);
    },
  };
}
