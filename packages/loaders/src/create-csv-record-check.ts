import { basename } from 'node:path';

import type { PlausibilityPolicy } from '@reelhouse/contracts';
import { ReelhouseError } from '@reelhouse/core';

import { comparableTimestamp } from './comparable-timestamp.ts';
import { storageProblem } from './storage-problem.ts';
import { compileFastCheck } from './compile-fast-check.ts';
import type { CsvReject } from './csv-reject.ts';
import { detachText } from './detach-text.ts';
import type { LineEnding } from './physical-line-splitter.ts';
import type { SourceTable } from './source-table.ts';
import { splitCsvRecord } from './split-csv-record.ts';
import type { KeyFingerprintSet } from './key-fingerprint-set.ts';
import type { DuplicateSuspect } from './resolve-duplicate-suspects.ts';
import { invalidUtf8Offset } from './invalid-utf8-offset.ts';
import {
  compilePlausibility,
  plausibilityVerdict,
  type PlausibilityWarnings,
} from './plausibility-gate.ts';

/**
 * Checks one data line through the parse, contract and duplicate gates: `null` means load it, a
 * suspect is a key whose fingerprint was seen before (verified against the table after COPY).
 */
export type CsvRecordCheck = (
  text: string,
  lineNumber: number,
  ending: LineEnding,
) => CsvReject | DuplicateSuspect | null;

// One fast-accepted row in this many is also parsed by zod, to prove the pre-check never outruns the contract.
const zodSampleMask = 1023;

// Characters that never belong in a generated data line; one regex test finds them all.
const suspicious = /[\0\r\uFEFF\uFFFD]/;

function parseReject(
  text: string,
  line: number,
  problem: { code: string; reason: string },
): CsvReject {
  return {
    line,
    rawText: detachText(text),
    gate: 'parse',
    code: problem.code,
    field: null,
    reason: problem.reason,
  };
}

function characterProblem(text: string): { code: string; reason: string } {
  if (text.includes('\0')) return { code: 'nul_byte', reason: 'contains a NUL byte' };
  if (text.includes('\uFEFF'))
    return { code: 'bom', reason: 'contains a byte order mark (U+FEFF) inside the file' };
  if (text.includes('\r'))
    return { code: 'stray_carriage_return', reason: 'contains a carriage return inside the line' };
  return {
    code: 'invalid_utf8',
    reason: `is not valid UTF-8 at byte ${invalidUtf8Offset(text)} of the line (binary data?)`,
  };
}

/** The gates a CSV file's check needs beyond its table: the duplicate keys, and the plausibility rules. */
export interface CsvCheckGates {
  readonly keys: KeyFingerprintSet;
  /** Absent: no plausibility rule applies (unit tests of the other gates). */
  readonly plausibility?:
    | {
        readonly policy: PlausibilityPolicy;
        readonly now: Date;
        readonly warnings: PlausibilityWarnings;
      }
    | undefined;
}

/**
 * Builds the per-line check of one CSV file. The file's line ending is the header's; a line with
 * the other ending, a structural fault or a contract violation is a reject; a repeated key a suspect.
 */
export function createCsvRecordCheck(
  spec: SourceTable,
  fileEnding: 'lf' | 'crlf',
  gates: CsvCheckGates,
): CsvRecordCheck {
  const { keys, plausibility } = gates;
  const names = spec.columns.map((column) => column.name);
  // A day batch's file sits in `days/<day>/`: the rules are keyed by the file's own name.
  const file = basename(spec.file) as Parameters<typeof compilePlausibility>[0]['file'];
  const plausible =
    plausibility === undefined
      ? () => true
      : compilePlausibility({ file, columns: names, ...plausibility });
  const width = names.length;
  const keyIndex = names.indexOf(spec.key);
  const ordered = spec.orderedTimestamps.map(
    ([earlier, later]) => [names.indexOf(earlier), names.indexOf(later), later] as const,
  );
  const fastCheck = compileFastCheck(spec);
  let fastAccepted = 0;
  const toRow = (fields: readonly string[]) => {
    const row: Record<string, string> = {};
    for (let index = 0; index < width; index += 1) row[names[index] ?? ''] = fields[index] ?? '';
    return row;
  };
  // The contract gate proper: zod decides and explains, then the column types and time order.
  const slowCheck = (
    text: string,
    lineNumber: number,
    fields: readonly string[],
  ): CsvReject | null => {
    const parsed = spec.schema.safeParse(toRow(fields));
    if (!parsed.success) {
      const issues = parsed.error.issues;
      const field = issues[0]?.path[0];
      return {
        line: lineNumber,
        rawText: detachText(text),
        gate: 'contract',
        code: issues[0]?.code ?? 'custom',
        field: typeof field === 'string' ? field : null,
        reason: issues
          .map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`)
          .join('; '),
      };
    }
    for (let index = 0; index < width; index += 1) {
      const column = spec.columns[index];
      const problem = column === undefined ? null : storageProblem(column, fields[index] ?? '');
      if (problem !== null) {
        return {
          line: lineNumber,
          rawText: detachText(text),
          gate: 'contract',
          code: 'out_of_range_for_column',
          field: names[index] ?? null,
          reason: `${names[index]}: ${problem}`,
        };
      }
    }
    for (const [earlier, later, laterName] of ordered) {
      const from = fields[earlier] ?? '';
      const to = fields[later] ?? '';
      if (from !== '' && to !== '' && comparableTimestamp(to) < comparableTimestamp(from)) {
        return {
          line: lineNumber,
          rawText: detachText(text),
          gate: 'contract',
          code: 'custom',
          field: laterName,
          reason: `${laterName}: must not be before ${names[earlier]}`,
        };
      }
    }
    if (plausibility === undefined) return null;
    const verdict = plausibilityVerdict({ file, record: toRow(fields), ...plausibility });
    if (verdict.reject !== null)
      return {
        line: lineNumber,
        rawText: detachText(text),
        gate: 'contract',
        code: verdict.reject.rule,
        field: verdict.reject.field,
        reason: verdict.reject.reason,
      };
    plausibility.warnings.add(verdict.warnings, lineNumber);
    return null;
  };
  return (text, lineNumber, ending) => {
    if (ending !== 'none' && ending !== fileEnding) {
      return parseReject(text, lineNumber, {
        code: 'crlf_mix',
        reason: `ends with ${ending.toUpperCase()} in a ${fileEnding.toUpperCase()} file`,
      });
    }
    if (suspicious.test(text)) return parseReject(text, lineNumber, characterProblem(text));
    const split = splitCsvRecord(text);
    if (!split.ok) {
      const what =
        split.problem === 'unbalanced_quote'
          ? 'a quote that is never closed'
          : 'a quote inside an unquoted field';
      return parseReject(text, lineNumber, {
        code: split.problem,
        reason: `has ${what} at character ${split.column}`,
      });
    }
    const fields = split.fields;
    if (fields.length !== width) {
      const code = fields.length > width ? 'extra_column' : 'missing_column';
      return parseReject(text, lineNumber, {
        code,
        reason: `has ${fields.length} fields, expected ${width}`,
      });
    }
    if (fastCheck(fields) && plausible(fields)) {
      fastAccepted += 1;
      if ((fastAccepted & zodSampleMask) === 0 && !spec.schema.safeParse(toRow(fields)).success) {
        throw new ReelhouseError({
          code: 'internal',
          message: `${spec.file} line ${lineNumber}: the fast pre-check accepted a row the zod contract rejects`,
          context: { file: spec.file, line: lineNumber },
        });
      }
    } else {
      const reject = slowCheck(text, lineNumber, fields);
      if (reject !== null) return reject;
    }
    const key = fields[keyIndex] ?? '';
    return keys.addOrHit(key)
      ? { suspect: true, line: lineNumber, rawText: detachText(text), key }
      : null;
  };
}
