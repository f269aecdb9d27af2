import { pipeline } from 'node:stream/promises';

import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export interface CopyBetweenOptions {
  readonly source: pg.ClientBase;
  readonly target: pg.ClientBase;
  /** `copy (select ...) to stdout ...` run on the source. */
  readonly copyOut: string;
  /** `copy table (...) from stdin ...` run on the target. */
  readonly copyIn: string;
  readonly signal: AbortSignal | undefined;
}

function ignoreLateError(): void {
  // Deliberately empty: see copyBetween.
}

/**
 * Streams a COPY TO STDOUT of one connection into a COPY FROM STDIN of another with backpressure
 * (memory stays flat whatever the row count); an abort destroys both streams. Returns the rows copied.
 */
export async function copyBetween(options: CopyBetweenOptions): Promise<number> {
  const outgoing = options.source.query(copyTo(options.copyOut));
  const incoming = options.target.query(copyFrom(options.copyIn));
  // A COPY stream can report its connection's death after the pipeline settled: the pipeline's error is the one that counts.
  outgoing.on('error', ignoreLateError);
  incoming.on('error', ignoreLateError);
  await pipeline(
    outgoing,
    incoming,
    options.signal === undefined ? {} : { signal: options.signal },
  );
  return incoming.rowCount;
}
