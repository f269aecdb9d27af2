import { createServer, type Server } from 'node:http';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, spawnCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';

const backfill = usePipelineEnvironment('backfill');
const scheduled = usePipelineEnvironment('schedule');
const small = [
  '--scale',
  'tiny',
  '--users',
  '50',
  '--sessions',
  '300',
  '--titles',
  '10',
  '--seed',
  '3',
];

// A local webhook receiver: the notices a failed run POSTs.
const notices: unknown[] = [];
let server: Server;
let webhook: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      notices.push(JSON.parse(body));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  webhook = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/notify`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const runs = async (environment: typeof backfill) =>
  (
    await environment
      .warehousePool()
      .query<{ run_id: string; state: string; logical_date: string; run_type: string }>(
        'select run_id, state, logical_date, run_type from ops.dag_runs order by run_id',
      )
  ).rows;

describe('pnpm pipeline backfill', { timeout: 600_000 }, () => {
  const args = () => [
    'backfill',
    '--from',
    '2026-01-01',
    '--to',
    '2026-01-02',
    ...small,
    ...targetArgs(backfill),
  ];

  it('stops at a failed day and notifies the webhook and the command with the run, task and error', async () => {
    // The data set's folder is a file: the data folder passes the run's folder check, then
    // generate_data (no retries) fails on the first day.
    const notAFolder = join(backfill.dir, 'blocked-data');
    await mkdir(notAFolder, { recursive: true });
    await writeFile(join(notAFolder, 'tiny-u50-s300-t10-seed3'), '');
    const noticeFile = join(backfill.dir, 'notice.json');
    const failed = await runCli(args(), {
      ...backfill.env(),
      REELHOUSE_DATA_DIR: notAFolder,
      REELHOUSE_NOTIFY_WEBHOOK: webhook,
      REELHOUSE_NOTIFY_COMMAND: `cat > '${noticeFile}'; echo "$REELHOUSE_TASK_ID" >> '${noticeFile}.task'`,
    });
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toContain('backfill stopped at 2026-01-01');
    expect(await runs(backfill)).toEqual([
      {
        run_id: 'backfill__2026-01-01',
        state: 'failed',
        logical_date: '2026-01-01',
        run_type: 'backfill',
      },
    ]);
    expect(notices).toEqual([
      expect.objectContaining({
        runId: 'backfill__2026-01-01',
        runType: 'backfill',
        logicalDate: '2026-01-01',
        state: 'failed',
        taskId: 'generate_data',
        error: expect.stringMatching(/\S/) as unknown,
      }),
    ]);
    expect(JSON.parse(await readFile(noticeFile, 'utf8'))).toEqual(notices[0]);
    expect(await readFile(`${noticeFile}.task`, 'utf8')).toBe('generate_data\n');
  });

  it('resumes the failed day instead of duplicating it, runs the next, then skips both', async () => {
    const resumed = await runCli(args(), backfill.env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('2026-01-01: success (resumed failed run)');
    expect(resumed.stderr).toContain('2026-01-02: success\n');
    const both = [
      {
        run_id: 'backfill__2026-01-01',
        state: 'success',
        logical_date: '2026-01-01',
        run_type: 'backfill',
      },
      {
        run_id: 'backfill__2026-01-02',
        state: 'success',
        logical_date: '2026-01-02',
        run_type: 'backfill',
      },
    ];
    expect(await runs(backfill)).toEqual(both);

    const again = await runCli(args(), backfill.env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(
      '2026-01-01: already successful (backfill__2026-01-01), skipped',
    );
    expect(again.stderr).toContain(
      '2026-01-02: already successful (backfill__2026-01-02), skipped',
    );
    expect(await runs(backfill)).toEqual(both);

    const status = await runCli(['status'], backfill.env());
    expect(status.stdout).toContain(
      'logical dates (latest run of each):\n  2026-01-01  success      backfill__2026-01-01\n  2026-01-02  success      backfill__2026-01-02\n',
    );
  });

  it('keeps logs per run, task and attempt, and `logs RUN [TASK]` prints them', async () => {
    const dir = join(backfill.dir, 'target', 'logs', 'backfill__2026-01-01', 'generate_data');
    expect((await readdir(dir)).sort()).toEqual(['1.jsonl', '2.jsonl']);
    const first = await readFile(join(dir, '1.jsonl'), 'utf8');
    expect(first).toContain('"attempt":1');

    const logs = await runCli([
      'logs',
      'backfill__2026-01-01',
      'generate_data',
      ...targetArgs(backfill),
    ]);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain('== backfill__2026-01-01 generate_data attempt 1\n');
    expect(logs.stdout).toContain('== backfill__2026-01-01 generate_data attempt 2\n');
    expect(logs.stdout.indexOf('attempt 1')).toBeLessThan(logs.stdout.indexOf('attempt 2'));

    const all = await runCli(['logs', 'backfill__2026-01-02', ...targetArgs(backfill)]);
    expect(all.stdout).toContain('== backfill__2026-01-02 quality_report attempt 1\n');
    expect(all.stdout.indexOf('generate_data')).toBeLessThan(all.stdout.indexOf('quality_report'));
  });
});

describe('pnpm pipeline schedule', () => {
  it('starts runs on a fast cron one at a time, and stops on SIGTERM', async () => {
    const child = spawnCli(
      ['schedule', '--cron', '* * * * * *', ...small, ...targetArgs(scheduled)],
      scheduled.env(),
    );
    let exited = false;
    void child.result.then(() => (exited = true));
    const successes = async () =>
      (
        await scheduled
          .warehousePool()
          .query<{ n: number }>(
            "select count(*)::int as n from ops.dag_runs where run_type = 'scheduled' and state = 'success'",
          )
          .catch(() => ({ rows: [{ n: 0 }] }))
      ).rows[0]!.n;
    while (!exited && (await successes()) < 2) await sleep(200);
    child.kill('SIGTERM');
    const result = await child.result;
    expect([0, 130], result.stderr).toContain(result.code);

    const rows = (
      await scheduled.warehousePool().query<{
        run_id: string;
        state: string;
        logical_date: string;
        started_at: Date;
        finished_at: Date;
      }>("select run_id, state, logical_date, started_at, finished_at from ops.dag_runs where run_type = 'scheduled' order by started_at")
    ).rows;
    expect(rows.filter((r) => r.state === 'success').length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.run_id).toMatch(/^scheduled__\d{4}-\d\d-\d\dT/);
      expect(row.logical_date).toBe(
        row.run_id.slice('scheduled__'.length, 'scheduled__'.length + 10),
      );
    }
    // One at a time: each run started after the previous one finished.
    for (let i = 1; i < rows.length; i += 1)
      expect(rows[i]!.started_at.getTime()).toBeGreaterThanOrEqual(
        rows[i - 1]!.finished_at.getTime(),
      );
    // Stopped by SIGTERM: nothing left running.
    expect(rows.map((r) => r.state)).not.toContain('running');
  }, 600_000);
});
