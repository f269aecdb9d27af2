import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import type { Logger } from '@reelhouse/core';
import pino from 'pino';

import { createAttemptLogStream } from './attempt-log-stream.ts';

export interface CreateLoggerOptions {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** A file for the JSON lines; otherwise `stream`. */
  readonly file: string | undefined;
  /** Default stdout; commands whose stdout is their answer (status) log to stderr. */
  readonly stream?: 'stdout' | 'stderr';
  /** Also file every line of a run by run, task and attempt under this folder (`target/logs`). */
  readonly runLogsDir?: string;
}

/** The pino logger of the CLI: JSON lines on stdout or appended to a file, written synchronously so nothing is lost on exit. */
export function createLogger(options: CreateLoggerOptions): Logger & { flush(): void } {
  if (options.file !== undefined) mkdirSync(dirname(options.file), { recursive: true });
  const destination = pino.destination({
    dest: options.file ?? (options.stream === 'stderr' ? 2 : 1),
    sync: true,
    append: true,
  });
  const streams =
    options.runLogsDir === undefined
      ? destination
      : pino.multistream([
          { stream: destination, level: options.level },
          { stream: createAttemptLogStream(options.runLogsDir), level: options.level },
        ]);
  return pino(
    {
      level: options.level,
      base: { app: 'reelhouse-pipeline' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    streams,
  );
}
