import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import type { Logger } from '@reelhouse/core';
import pino from 'pino';

export interface CreateLoggerOptions {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** A file for the JSON lines; otherwise `stream`. */
  readonly file: string | undefined;
  /** Default stdout; commands whose stdout is their answer (status) log to stderr. */
  readonly stream?: 'stdout' | 'stderr';
}

/** The pino logger of the CLI: JSON lines on stdout or appended to a file, written synchronously so nothing is lost on exit. */
export function createLogger(options: CreateLoggerOptions): Logger & { flush(): void } {
  if (options.file !== undefined) mkdirSync(dirname(options.file), { recursive: true });
  const destination = pino.destination({
    dest: options.file ?? (options.stream === 'stderr' ? 2 : 1),
    sync: true,
    append: true,
  });
  return pino(
    {
      level: options.level,
      base: { app: 'reelhouse-pipeline' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
