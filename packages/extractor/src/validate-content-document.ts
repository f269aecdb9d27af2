import { ReelhouseError } from '@reelhouse/core';
import type { z } from 'zod';

import { storedContentDocument, type StoredContentDocument } from './content-document.ts';

/** A document that has the expected shape, and the paths of fields it has beyond it (schema drift). */
export interface ValidatedContentDocument {
  readonly document: StoredContentDocument;
  /** `trailer_url`, `cast[].agent`: array positions folded so one drift reads as one path. */
  readonly unknownFields: readonly string[];
}

function fieldPath(path: readonly PropertyKey[], key: string): string {
  const parts = path.map((part) => (typeof part === 'number' ? '[]' : `.${String(part)}`));
  return `${parts.join('')}.${key}`.replace(/^\./, '').replaceAll('.[]', '[]');
}

function withoutKeys(value: unknown, issues: readonly z.core.$ZodIssueUnrecognizedKeys[]): unknown {
  const copy: unknown = structuredClone(value);
  for (const issue of issues) {
    let node: unknown = copy;
    for (const part of issue.path)
      node = (node as Record<PropertyKey, unknown> | undefined)?.[part];
    if (typeof node === 'object' && node !== null)
      for (const key of issue.keys) Reflect.deleteProperty(node, key);
  }
  return copy;
}

function documentId(raw: unknown): string {
  const id = (raw as { _id?: unknown } | null)?._id;
  return typeof id === 'string' ? id : (JSON.stringify(id) ?? 'unknown');
}

/**
 * Checks a MongoDB content document against the contract (with BSON dates). Extra fields are
 * drift, reported but kept (the whole document lands in `_doc`); any other break throws a
 * `contract_violation` naming the stream, the document `_id` and the offending paths.
 */
export function validateContentDocument(raw: unknown): ValidatedContentDocument {
  const first = storedContentDocument.safeParse(raw);
  if (first.success) return { document: first.data, unknownFields: [] };
  const extra = first.error.issues.filter(
    (issue): issue is z.core.$ZodIssueUnrecognizedKeys => issue.code === 'unrecognized_keys',
  );
  const broken: z.core.$ZodIssue[] = first.error.issues.filter(
    (issue) => issue.code !== 'unrecognized_keys',
  );
  const id = documentId(raw);
  if (broken.length === 0) {
    const second = storedContentDocument.safeParse(withoutKeys(raw, extra));
    if (second.success) {
      return {
        document: second.data,
        unknownFields: [
          ...new Set(extra.flatMap((issue) => issue.keys.map((key) => fieldPath(issue.path, key)))),
        ],
      };
    }
    broken.push(...second.error.issues);
  }
  const problems = broken.map(
    (issue) => `${issue.path.map(String).join('.') || '(document)'}: ${issue.message}`,
  );
  throw new ReelhouseError({
    code: 'contract_violation',
    message: `stream content: document _id ${id} breaks the expected shape: ${problems.join('; ')}`,
    context: { stream: 'content', documentId: id, problems },
  });
}
