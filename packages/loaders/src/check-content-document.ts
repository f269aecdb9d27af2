import {
  contentDocument,
  dataFiles,
  type PlausibilityPolicy,
  type PlausibilityViolation,
} from '@reelhouse/contracts';

import { contentDateFields } from './content-json-schema.ts';
import type { RejectGate } from './csv-reject.ts';
import { detachText } from './detach-text.ts';
import { invalidUtf8Offset } from './invalid-utf8-offset.ts';
import { plausibilityVerdict } from './plausibility-gate.ts';

/** A quarantined document of `content.json`, by 0-based index. */
export interface ContentReject {
  readonly index: number;
  readonly line: number;
  readonly rawText: string;
  readonly gate: RejectGate;
  readonly code: string;
  readonly field: string | null;
  readonly reason: string;
}

export type ContentCheck =
  | {
      readonly ok: true;
      readonly id: string;
      readonly document: Record<string, unknown>;
      /** Broken plausibility rules set to `warn`: loaded, and counted. */
      readonly warnings: readonly PlausibilityViolation[];
    }
  | { readonly ok: false; readonly reject: ContentReject };

// Raw text kept with a reject is capped: a catalogue document can be large.
const maxRawChars = 20_000;

function toBsonDate(text: string): Date | null {
  const date = new Date(text.length === 10 ? `${text}T00:00:00.000Z` : text);
  // `new Date` rolls 2021-02-30 over to March; a real date prints back to what it was given.
  return !Number.isNaN(date.getTime()) &&
    date.toISOString().slice(0, 19) ===
      (text.length === 10 ? `${text}T00:00:00` : text.slice(0, 19))
    ? date
    : null;
}

/** Replaces the ISO strings of date fields (at any depth) by BSON dates; returns the first impossible date's path. */
function convertDates(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const bad = convertDates(item, `${path}.${index}`);
      if (bad !== null) return bad;
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const [key, item] of Object.entries(record)) {
      const here = path === '' ? key : `${path}.${key}`;
      if (contentDateFields.has(key) && typeof item === 'string') {
        const date = toBsonDate(item);
        if (date === null) return here;
        record[key] = date;
      } else {
        const bad = convertDates(item, here);
        if (bad !== null) return bad;
      }
    }
  }
  return null;
}

/**
 * Checks one document line of `content.json`: JSON syntax (parse gate), the zod contract and
 * real calendar dates (contract gate); a good document comes back with BSON dates.
 */
export function checkContentDocument(
  text: string,
  position: { index: number; line: number },
  plausibility: { readonly policy: PlausibilityPolicy; readonly now: Date },
): ContentCheck {
  const reject = (
    gate: RejectGate,
    fields: { code: string; field: string | null; reason: string },
  ): ContentCheck => ({
    ok: false,
    reject: {
      index: position.index,
      line: position.line,
      rawText: detachText(text.slice(0, maxRawChars)),
      gate,
      ...fields,
    },
  });
  const badByte = invalidUtf8Offset(text);
  if (badByte !== -1)
    return reject('parse', {
      code: 'invalid_utf8',
      field: null,
      reason: `is not valid UTF-8 at byte ${badByte} of line ${position.line}`,
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return reject('parse', {
      code: 'malformed_json',
      field: null,
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  const parsed = contentDocument.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const first = issues[0]?.path.join('.');
    return reject('contract', {
      code: issues[0]?.code ?? 'custom',
      field: first === undefined || first === '' ? null : first,
      reason: issues
        .map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`)
        .join('; '),
    });
  }
  const verdict = plausibilityVerdict({
    file: dataFiles.content,
    record: parsed.data,
    ...plausibility,
  });
  if (verdict.reject !== null)
    return reject('contract', {
      code: verdict.reject.rule,
      field: verdict.reject.field,
      reason: verdict.reject.reason,
    });
  const document = parsed.data as Record<string, unknown>;
  const badDate = convertDates(document, '');
  if (badDate !== null)
    return reject('contract', {
      code: 'invalid_date',
      field: badDate,
      reason: `${badDate}: not a calendar date`,
    });
  return { ok: true, id: parsed.data._id, document, warnings: verdict.warnings };
}
