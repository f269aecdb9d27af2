import { spawn } from 'node:child_process';

import type { ReelhouseConfig } from '@reelhouse/config';

/** What a failed scheduled or backfill run reports: the run, its first failed task and its error. */
export interface FailureNotice {
  readonly dagId: string;
  readonly runId: string;
  readonly runType: 'scheduled' | 'backfill';
  readonly logicalDate: string | undefined;
  readonly state: string;
  readonly taskId: string | undefined;
  readonly error: string | undefined;
}

function runCommand(command: string, notice: FailureNotice): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], {
      stdio: ['pipe', 'inherit', 'inherit'],
      env: {
        // eslint-disable-next-line no-restricted-properties -- the command runs in the user's environment, plus the notice
        ...process.env,
        REELHOUSE_DAG_ID: notice.dagId,
        REELHOUSE_RUN_ID: notice.runId,
        REELHOUSE_RUN_TYPE: notice.runType,
        REELHOUSE_LOGICAL_DATE: notice.logicalDate ?? '',
        REELHOUSE_TASK_ID: notice.taskId ?? '',
        REELHOUSE_ERROR: notice.error ?? '',
      },
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`notify command exited ${code}`)),
    );
    child.stdin.end(`${JSON.stringify(notice)}\n`);
  });
}

async function postWebhook(url: string, notice: FailureNotice): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(notice),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`notify webhook answered ${response.status}`);
}

/**
 * Sends the notice to the configured command and webhook. A notification that fails is reported
 * on `warn` and never changes the run's outcome.
 */
export async function notifyFailure(
  config: Pick<ReelhouseConfig, 'notifyCommand' | 'notifyWebhook'>,
  notice: FailureNotice,
  warn: (line: string) => void,
): Promise<void> {
  const sends: Promise<void>[] = [];
  if (config.notifyCommand !== undefined) sends.push(runCommand(config.notifyCommand, notice));
  if (config.notifyWebhook !== undefined)
    sends.push(postWebhook(config.notifyWebhook.expose(), notice));
  for (const result of await Promise.allSettled(sends))
    if (result.status === 'rejected')
      warn(
        `notification failed: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`,
      );
}
