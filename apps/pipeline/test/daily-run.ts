import { join } from 'node:path';
import { Writable } from 'node:stream';

import { loadConfig } from '@reelhouse/config';

import type { CliContext } from '../src/cli-context.ts';
import type { DataSetFlags } from '../src/cli-options.ts';
import { runPipeline } from '../src/commands/run-command.ts';

/** The CLI's context in this process: config from `env`, both output streams kept for failure messages. */
export function inProcessCli(env: Record<string, string>): {
  readonly context: CliContext;
  readonly output: () => string;
} {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return {
    context: {
      config: loadConfig(env),
      stdout: stream,
      stderr: stream,
      signal: new AbortController().signal,
    },
    output: () => text,
  };
}

/** The run `pnpm pipeline backfill --from D --to D` makes of day D: run id `backfill__D`, reports and logs under `dir`. */
export function runDay(
  context: CliContext,
  options: { readonly flags: DataSetFlags; readonly dir: string; readonly date: string },
) {
  return runPipeline(
    {
      data: options.flags,
      output: {
        targetDir: join(options.dir, 'target'),
        logFile: join(options.dir, 'pipeline.jsonl'),
      },
      runId: `backfill__${options.date}`,
      resume: false,
      fullRefresh: false,
      logicalDate: options.date,
    },
    context,
    'backfill',
  );
}
