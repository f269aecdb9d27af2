import { createReadStream } from 'node:fs';

import type { FileSink } from './file-sink.ts';

/** One line offered for rewriting. */
export interface LineToRewrite {
  /** 1-based physical line number. */
  readonly number: number;
  /** The line without its `\n`. */
  readonly text: string;
  /** Text of the closest earlier line left unchanged (null if none). */
  readonly previousKept: () => string | null;
}

/** Decides per line, cheaply, whether to look at it, then returns its new text or null to keep it. */
export interface LineRewriter {
  wants(lineNumber: number): boolean;
  rewrite(line: LineToRewrite): string | null;
}

/**
 * Copies a `\n`-separated file into `sink` line by line, replacing the lines `rewriter` changes.
 * Unchanged lines are copied as bytes in runs, never decoded; the file is never held whole.
 */
export async function rewriteLines(options: {
  readonly source: string;
  readonly sink: FileSink;
  readonly rewriter: LineRewriter;
}): Promise<void> {
  const { sink, rewriter } = options;
  let carry: Buffer | null = null;
  let lineNumber = 0;
  let kept: { buffer: Buffer; start: number; end: number } | null = null;
  const previousKept = (): string | null =>
    kept === null ? null : kept.buffer.toString('utf8', kept.start, kept.end);
  for await (const piece of createReadStream(options.source)) {
    const chunk: Buffer =
      carry === null ? (piece as Buffer) : Buffer.concat([carry, piece as Buffer]);
    let runStart = 0;
    let lineStart = 0;
    let newline = chunk.indexOf(10, lineStart);
    while (newline >= 0) {
      lineNumber++;
      let replaced: string | null = null;
      if (rewriter.wants(lineNumber)) {
        replaced = rewriter.rewrite({
          number: lineNumber,
          text: chunk.toString('utf8', lineStart, newline),
          previousKept,
        });
      }
      if (replaced === null) {
        kept = { buffer: chunk, start: lineStart, end: newline };
      } else {
        if (sink.appendBytes(chunk, runStart, lineStart)) await sink.flush();
        if (sink.append(`${replaced}\n`)) await sink.flush();
        runStart = newline + 1;
      }
      lineStart = newline + 1;
      newline = chunk.indexOf(10, lineStart);
    }
    if (sink.appendBytes(chunk, runStart, lineStart)) await sink.flush();
    carry = lineStart < chunk.length ? chunk.subarray(lineStart) : null;
    // `kept` may point into this chunk; it stays valid because chunks are never reused.
  }
  if (carry !== null) throw new SyntaxError(`${options.source} does not end with a line break`);
}
