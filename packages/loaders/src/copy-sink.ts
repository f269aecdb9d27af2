import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

// About 256 KiB per write: few writes per second, and little text held in memory at once.
const flushChars = 1 << 18;

/**
 * A `COPY ... FROM STDIN` in progress that takes text lines and sends them in large chunks,
 * holding back on backpressure; a server error surfaces at the next `settle` or `finish`.
 */
export class CopySink {
  readonly #stream: ReturnType<typeof copyFrom>;
  #buffer = '';
  #error: Error | undefined;

  constructor(client: pg.PoolClient, sql: string) {
    this.#stream = client.query(copyFrom(sql));
    this.#stream.on('error', (error: Error) => {
      this.#error ??= error;
    });
  }

  add(line: string): void {
    this.#buffer += line;
    this.#buffer += '\n';
    if (this.#buffer.length >= flushChars) this.#flush();
  }

  /** Waits while the server is behind; throws what the stream reported. */
  async settle(signal?: AbortSignal): Promise<void> {
    if (this.#error !== undefined) throw this.#error;
    if (this.#stream.writableNeedDrain)
      await once(this.#stream, 'drain', signal === undefined ? {} : { signal });
  }

  async finish(signal?: AbortSignal): Promise<void> {
    this.#flush();
    if (this.#error !== undefined) throw this.#error;
    this.#stream.end();
    await finished(this.#stream, signal === undefined ? {} : { signal });
  }

  /** Ends the COPY with a failure, so the server discards what it received. */
  abort(reason: unknown): void {
    if (!this.#stream.destroyed)
      this.#stream.destroy(reason instanceof Error ? reason : new Error(String(reason)));
  }

  #flush(): void {
    if (this.#buffer === '') return;
    this.#stream.write(this.#buffer);
    this.#buffer = '';
  }
}
