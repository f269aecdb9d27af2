import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

import { ReelhouseError } from '@reelhouse/core';

/** Size and checksum of a written file, as the manifest records them. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

const bufferBytes = 1 << 20;

/**
 * Buffered writer over a file stream with two reused buffers: one fills while the other is being
 * written, and a flush waits for the previous write (backpressure). Bytes are hashed on the way,
 * so nothing is read back, and no garbage is made per flush, so memory stays flat at any size.
 */
export class FileSink {
  readonly path: string;
  readonly #stream: WriteStream;
  readonly #hash: Hash = createHash('sha256');
  readonly #signal: AbortSignal | undefined;
  #buffer: Buffer = Buffer.allocUnsafe(bufferBytes);
  #spare: Buffer | null = null;
  #used = 0;
  #bytes = 0;
  #inFlight: Promise<void> = Promise.resolve();
  #failure: Error | null = null;

  constructor(path: string, signal?: AbortSignal) {
    this.path = path;
    this.#signal = signal;
    this.#stream = createWriteStream(path);
    // Without a listener a failed open or write would crash the process instead of rejecting.
    this.#stream.on('error', (error) => {
      this.#failure = error;
    });
  }

  /** Queues text; returns true when the caller should `await flush()` before queueing more. */
  append(text: string): boolean {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > this.#buffer.length - this.#used) this.#grow(text.length * 3);
    this.#used += this.#buffer.write(text, this.#used, 'utf8');
    return this.#used >= bufferBytes / 2;
  }

  /** Queues raw bytes (`source[start..end)`), e.g. lines copied unchanged from another file. */
  appendBytes(source: Uint8Array, start: number, end: number): boolean {
    if (end - start > this.#buffer.length - this.#used) this.#grow(end - start);
    this.#buffer.set(source.subarray(start, end), this.#used);
    this.#used += end - start;
    return this.#used >= bufferBytes / 2;
  }

  #grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#used + needed));
    this.#buffer.copy(next, 0, 0, this.#used);
    this.#buffer = next;
  }

  /** Hands the queued bytes to the file once the previous write has finished. */
  async flush(): Promise<void> {
    if (this.#signal?.aborted === true) {
      throw new ReelhouseError({
        code: 'aborted',
        message: 'data generation aborted',
        context: { file: this.path },
        cause: this.#signal.reason,
      });
    }
    if (this.#used === 0) return;
    const chunk = this.#buffer.subarray(0, this.#used);
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    await this.#inFlight;
    if (this.#failure !== null) throw this.#writeError(this.#failure);
    const writing = this.#buffer;
    this.#inFlight = new Promise<void>((resolve, reject) => {
      this.#stream.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
    // Observed here so a failure between flushes is not an unhandled rejection; awaited later.
    this.#inFlight.catch(() => undefined);
    this.#buffer = this.#spare ?? Buffer.allocUnsafe(bufferBytes);
    this.#spare = writing;
    this.#used = 0;
  }

  #writeError(cause: Error): ReelhouseError {
    return new ReelhouseError({
      code: 'internal',
      message: `cannot write ${this.path}: ${cause.message}`,
      context: { file: this.path },
      cause,
    });
  }

  /** Flushes, closes the file and returns its size and SHA-256. */
  async close(): Promise<FileDigest> {
    await this.flush();
    try {
      await this.#inFlight;
    } catch (error) {
      throw this.#writeError(error as Error);
    }
    this.#stream.end();
    await once(this.#stream, 'finish');
    return { bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }

  /** Closes the file without finishing it (after an error) and waits until it is closed, so the caller can remove it. */
  async destroy(): Promise<void> {
    if (this.#stream.closed) return;
    // The file may still be opening: removing it before `close` would race with its creation.
    await new Promise<void>((resolve) => {
      this.#stream.once('close', () => resolve());
      this.#stream.destroy();
    });
  }
}
