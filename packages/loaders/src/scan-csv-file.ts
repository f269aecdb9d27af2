import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import { ReelhouseError, type Logger } from '@reelhouse/core';

import type { CopySink } from './copy-sink.ts';
import {
  createCsvRecordCheck,
  type CsvCheckGates,
  type CsvRecordCheck,
} from './create-csv-record-check.ts';
import type { CsvReject } from './csv-reject.ts';
import { describeHeader } from './describe-header.ts';
import { describeHeaderMismatch } from './describe-header-mismatch.ts';
import { KeyFingerprintSet } from './key-fingerprint-set.ts';
import { PhysicalLineSplitter, type LineEnding } from './physical-line-splitter.ts';
import type { DuplicateSuspect } from './resolve-duplicate-suspects.ts';
import type { SourceTable } from './source-table.ts';
import { detachText } from './detach-text.ts';

export interface ScanCsvOptions {
  readonly path: string;
  readonly spec: SourceTable;
  readonly sink: CopySink;
  readonly readChunkBytes: number;
  /** Where the duplicate gate keeps keys (tests pass one with narrow fingerprints). */
  readonly keys?: KeyFingerprintSet | undefined;
  /** The plausibility rules to apply and where to count `warn` hits; absent: none apply. */
  readonly plausibility?: CsvCheckGates['plausibility'];
  /** Longest line read as a record (default 1 MiB); a longer one is quarantined as `line_too_long`. */
  readonly maxLineChars?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger: Logger;
}

/** What one pass over a CSV file found: data lines read, lines sent to COPY, rejects, duplicate suspects. */
export interface CsvScan {
  readonly dataLines: number;
  readonly accepted: number;
  readonly rejects: readonly CsvReject[];
  readonly suspects: readonly DuplicateSuspect[];
}

// No generated line comes near this; a longer one is binary data, and must not fill the memory.
const defaultMaxLineChars = 1 << 20;

function malformed(file: string, line: number, message: string): ReelhouseError {
  return new ReelhouseError({
    code: 'file_malformed',
    message: `${file} line ${line}: ${message}`,
    context: { file, line },
  });
}

/**
 * Streams a CSV file line by line through the gates: good lines go to the COPY sink unchanged,
 * bad ones become rejects. A wrong header, an empty or a truncated file is `file_malformed`.
 */
export async function scanCsvFile(options: ScanCsvOptions): Promise<CsvScan> {
  const { spec, sink, signal } = options;
  const expectedHeader = spec.columns.map((column) => column.name).join(',');
  const rejects: CsvReject[] = [];
  const suspects: DuplicateSuspect[] = [];
  const keys = options.keys ?? new KeyFingerprintSet();
  let accepted = 0;
  let check: CsvRecordCheck | undefined;
  let badHeader: string | undefined;
  let truncated: CsvReject | undefined;
  const maxLineChars = options.maxLineChars ?? defaultMaxLineChars;
  const onLine = (text: string, lineNumber: number, ending: LineEnding) => {
    if (check === undefined) {
      // A byte order mark is tolerated once, at the very start of the file.
      const header = text.startsWith('\uFEFF') ? text.slice(1) : text;
      if (header !== expectedHeader) badHeader = header;
      check = createCsvRecordCheck(spec, ending === 'crlf' ? 'crlf' : 'lf', {
        keys,
        plausibility: options.plausibility,
      });
      return;
    }
    if (badHeader !== undefined) return;
    const reject = check(text, lineNumber, ending);
    if (reject === null) {
      sink.add(text);
      accepted += 1;
    } else if ('suspect' in reject) {
      suspects.push(reject);
    } else if (ending === 'none') {
      // Generated files end with a newline: a bad last line without one was cut off.
      truncated = reject;
    } else {
      rejects.push(reject);
    }
  };
  const splitter = new PhysicalLineSplitter(onLine, {
    maxLineChars,
    onLongLine: (lineNumber, chars, head) => {
      if (check === undefined) {
        onLine(head, lineNumber, 'lf');
        return;
      }
      rejects.push({
        line: lineNumber,
        rawText: `${detachText(head)}…`,
        gate: 'parse',
        code: 'line_too_long',
        field: null,
        reason: `is ${chars} characters long, over the limit of ${maxLineChars}; the rest of the file is read on`,
      });
    },
  });
  const size = (await stat(options.path).catch(() => undefined))?.size ?? 0;
  let reserved = false;
  const input = createReadStream(options.path, {
    encoding: 'utf8',
    highWaterMark: options.readChunkBytes,
    ...(signal === undefined ? {} : { signal }),
  });
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      signal?.throwIfAborted();
      splitter.push(chunk);
      if (badHeader !== undefined) break;
      if (!reserved && splitter.linesSeen > 1) {
        // Size the key table once from the first chunk's mean line length, not by repeated growth.
        keys.reserve(Math.ceil((size / (input.bytesRead / splitter.linesSeen)) * 1.05));
        reserved = true;
      }
      options.logger.debug({ file: spec.file, lines: splitter.linesSeen }, 'chunk sent to COPY');
      await sink.settle(signal);
    }
    signal?.throwIfAborted();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      throw new ReelhouseError({
        code: 'not_found',
        message: `${spec.file} not found at ${options.path}`,
        context: { file: spec.file, path: options.path },
        cause: error,
      });
    }
    throw error;
  } finally {
    input.destroy();
  }
  if (badHeader === undefined) splitter.end();
  if (check === undefined)
    throw malformed(spec.file, 1, `the file is empty; expected the header ${expectedHeader}`);
  if (badHeader !== undefined) {
    const found = await describeHeader(badHeader);
    throw malformed(
      spec.file,
      1,
      describeHeaderMismatch(
        spec.columns.map((column) => column.name),
        found,
      ),
    );
  }
  if (truncated !== undefined) {
    throw malformed(
      spec.file,
      truncated.line,
      `the file is truncated: its last line has no newline and ${truncated.reason}`,
    );
  }
  return { dataLines: splitter.linesSeen - 1, accepted, rejects, suspects };
}
