import { createReadStream } from 'node:fs';

import { ReelhouseError } from '@reelhouse/core';

import { PhysicalLineSplitter, type LineEnding } from './physical-line-splitter.ts';

/** `array`: `[` alone on line 1, one document per line, `]` alone last. `ndjson`: one document per line. */
export type ContentFileFormat = 'array' | 'ndjson';

/** Receives each document's text with its 0-based index and 1-based line. */
export type DocumentHandler = (text: string, position: DocumentPosition) => void;

/** Where a document stands: `terminated` is false only for a last line cut off without a newline. */
export interface DocumentPosition {
  readonly index: number;
  readonly line: number;
  readonly terminated: boolean;
}

export interface ReadContentOptions {
  readonly path: string;
  readonly file: string;
  readonly onDocument: DocumentHandler;
  /** Receives a document line over the limit instead of its text: it is never held whole. */
  readonly onOversized: (position: DocumentPosition, chars: number) => void;
  /** Called after each read chunk, to write what the handler collected before reading on. */
  readonly afterChunk: () => Promise<void>;
  readonly maxLineChars?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

// Far above any catalogue document; a longer line is binary data or a whole-file array.
const defaultMaxLineChars = 16 << 20;

function malformed(file: string, line: number, message: string): ReelhouseError {
  return new ReelhouseError({
    code: 'file_malformed',
    message: `${file} line ${line}: ${message}`,
    context: { file, line },
  });
}

/**
 * Streams `content.json` one physical line at a time in either layout the generators write,
 * handing over document texts with their index; never holds more than a read chunk in memory.
 * A pretty-printed array, garbage, an empty or a truncated file is `file_malformed`.
 */
export async function readContentDocuments(
  options: ReadContentOptions,
): Promise<{ format: ContentFileFormat; documents: number }> {
  const { file } = options;
  let format: ContentFileFormat | undefined;
  let documents = 0;
  let closedAt = 0;
  let lastLine = { line: 0, ending: 'lf' as LineEnding, text: '' };
  let problem: ReelhouseError | undefined;
  const maxLineChars = options.maxLineChars ?? defaultMaxLineChars;
  const onLine = (raw: string, line: number, ending: LineEnding) => {
    if (problem !== undefined) return;
    const text = (line === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw).trim();
    lastLine = { line, ending, text };
    if (format === undefined) {
      if (text === '[') format = 'array';
      else if (text.startsWith('{')) format = 'ndjson';
      else if (text.startsWith('['))
        problem = malformed(
          file,
          1,
          "a JSON array must have '[' alone on line 1 and one document per line (or be NDJSON)",
        );
      else
        problem = malformed(
          file,
          1,
          `neither a JSON array nor NDJSON: starts with ${JSON.stringify(text.slice(0, 20))}`,
        );
      if (format !== 'ndjson') return;
    }
    if (closedAt !== 0) {
      if (text !== '')
        problem = malformed(file, line, `content after the closing ] of line ${closedAt}`);
      return;
    }
    if (format === 'array' && text === ']') {
      closedAt = line;
      return;
    }
    if (text === '' && format === 'ndjson') return;
    if (text === '{') {
      problem = malformed(
        file,
        line,
        line === 1
          ? 'the file holds one pretty-printed JSON object, not an array of content documents: write `[` on line 1, one document per line, `]` last (or NDJSON)'
          : 'a pretty-printed JSON array is not supported: write one document per line (array lines or NDJSON)',
      );
      return;
    }
    options.onDocument(format === 'array' && text.endsWith(',') ? text.slice(0, -1) : text, {
      index: documents,
      line,
      terminated: ending !== 'none',
    });
    documents += 1;
  };
  const splitter = new PhysicalLineSplitter(onLine, {
    maxLineChars,
    onLongLine: (line, chars, head) => {
      if (format === undefined || closedAt !== 0 || problem !== undefined) {
        onLine(head, line, 'lf');
        return;
      }
      options.onOversized({ index: documents, line, terminated: true }, chars);
      documents += 1;
    },
  });
  const input = createReadStream(options.path, {
    encoding: 'utf8',
    highWaterMark: 1 << 20,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      splitter.push(chunk);
      if (problem !== undefined) throw problem;
      await options.afterChunk();
    }
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new ReelhouseError({
        code: 'not_found',
        message: `${file} not found at ${options.path}`,
        context: { file, path: options.path },
        cause: error,
      });
    }
    throw error;
  } finally {
    input.destroy();
  }
  splitter.end();
  if (problem !== undefined) throw problem;
  if (format === undefined)
    throw malformed(file, 1, 'the file is empty; expected a JSON array or NDJSON');
  if (format === 'array' && closedAt === 0) {
    throw malformed(
      file,
      lastLine.line,
      `the file is truncated: no closing ] after document ${documents - 1}`,
    );
  }
  await options.afterChunk();
  return { format, documents };
}
