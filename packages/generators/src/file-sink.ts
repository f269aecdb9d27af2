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
 * Buffered text writer over a file stream: batches small strings into large writes, waits for
 * `drain` (backpressure), and hashes the bytes on the way so nothing is read back.
 */
export class FileSink {
  readonly path: string;
  readonly #stream: WriteStream;
  readonly #hash: Hash = createHash('sha256');
  readonly #signal: AbortSignal | undefined;
  // Lines are encoded straight into a reused buffer: no string ropes to flatten, little garbage.
  #buffer = Buffer.allocUnsafe(bufferBytes);
  #used = 0;
  #bytes = 0;

  constructor(path: string, signal?: AbortSignal) {
    this.path = path;
    this.#signal = signal;
    this.#stream = createWriteStream(path);
  }

  /** Queues text; returns true when the caller should `await flush()` before queueing more. */
  append(text: string): boolean {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (text.length * 3 > this.#buffer.length - this.#used) this.#grow(text.length * 3);
    this.#used += this.#buffer.write(text, this.#used, 'utf8');
    return this.#used >= bufferBytes / 2;
  }

  /** `append` for text known to be ASCII (the sessions file): a plain byte copy, no UTF-8 encoding. */
  appendAscii(text: string): boolean {
    if (text.length > this.#buffer.length - this.#used) this.#grow(text.length);
    this.#used += this.#buffer.write(text, this.#used, 'latin1');
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

  /** Writes the queued text and waits while the file stream's buffer is full. */
  async flush(): Promise<void> {
    if (this.#signal?.aborted === true) {
      throw new ReelhouseError({ code: 'aborted', message: 'data generation aborted', context: { file: this.path }, cause: this.#signal.reason });
    }
    if (this.#used === 0) return;
    const chunk = this.#buffer.subarray(0, this.#used);
    // The stream keeps a reference to the chunk until written: hand it over, take a fresh buffer.
    this.#buffer = Buffer.allocUnsafe(bufferBytes);
    this.#used = 0;
    this.#hash.update(chunk);
    this.#bytes += chunk.length;
    if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
  }

  /** Flushes, closes the file and returns its size and SHA-256. */
  async close(): Promise<FileDigest> {
    await this.flush();
    this.#stream.end();
    await once(this.#stream, 'finish');
    return { bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }

  /** Closes the file without finishing it (after an error); the caller removes it. */
  destroy(): void {
    this.#stream.destroy();
  }
}
