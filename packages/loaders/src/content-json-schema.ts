import { z } from 'zod';

import { contentDocument } from '@reelhouse/contracts';

type JsonSchema = Record<string, unknown>;

/** Fields the loader stores as BSON dates although `content.json` carries them as ISO strings. */
export const contentDateFields: ReadonlySet<string> = new Set([
  'release_date',
  'updated_at',
  'window_start',
  'window_end',
]);

// MongoDB's $jsonSchema is draft 4 with `bsonType`; JS numbers may arrive as int, long or double.
const bsonTypes: Readonly<Record<string, string | string[]>> = {
  string: 'string',
  boolean: 'bool',
  object: 'object',
  array: 'array',
  null: 'null',
  integer: ['int', 'long', 'double'],
  number: ['int', 'long', 'double', 'decimal'],
};

// Keywords MongoDB refuses inside $jsonSchema.
const unsupported = new Set([
  '$schema',
  '$id',
  'id',
  'default',
  'format',
  'definitions',
  '$defs',
  '$ref',
]);

function toDate(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema['anyOf']))
    return { anyOf: (schema['anyOf'] as JsonSchema[]).map(toDate) };
  return schema['type'] === 'string' ? { bsonType: 'date' } : toMongo(schema);
}

function toMongo(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (unsupported.has(keyword)) continue;
    if (keyword === 'type' && typeof value === 'string')
      out['bsonType'] = bsonTypes[value] ?? value;
    else if (keyword === 'const') out['enum'] = [value];
    else if (
      (keyword === 'exclusiveMinimum' || keyword === 'exclusiveMaximum') &&
      typeof value === 'number'
    ) {
      out[keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = value;
      out[keyword] = true;
    } else if (keyword === 'properties') {
      out['properties'] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, property]) => [
          name,
          contentDateFields.has(name) ? toDate(property) : toMongo(property),
        ]),
      );
    } else if (keyword === 'items' && typeof value === 'object' && value !== null)
      out['items'] = toMongo(value as JsonSchema);
    else if (
      (keyword === 'anyOf' || keyword === 'oneOf' || keyword === 'allOf') &&
      Array.isArray(value)
    )
      out[keyword] = (value as JsonSchema[]).map(toMongo);
    else out[keyword] = value;
  }
  return out;
}

/**
 * The `content` collection's `$jsonSchema` validator, derived from the zod contract: JSON Schema
 * types become `bsonType`s and the date fields BSON dates, as the loader stores them.
 */
export function contentJsonSchema(): JsonSchema {
  const schema = toMongo(z.toJSONSchema(contentDocument, { io: 'input', unrepresentable: 'any' }));
  // The change markers the loader stamps on every write are allowed beside the contract's fields.
  const markers = { _change_seq: { bsonType: ['long', 'int'] }, _changed_at: { bsonType: 'date' } };
  const branches = Array.isArray(schema['oneOf']) ? (schema['oneOf'] as JsonSchema[]) : [schema];
  for (const branch of branches)
    branch['properties'] = { ...(branch['properties'] as JsonSchema | undefined), ...markers };
  return schema;
}
