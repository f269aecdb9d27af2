import { describe, expect, it } from 'vitest';

import { contentJsonSchema } from '../src/content-json-schema.ts';

function keywords(schema: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) keywords(item, found);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      found.add(key);
      // Under `properties` the keys are field names (a document has a `type` field), not keywords.
      if (key === 'properties')
        for (const property of Object.values(value as object)) keywords(property, found);
      else keywords(value, found);
    }
  }
  return found;
}

describe('contentJsonSchema', () => {
  const schema = contentJsonSchema() as {
    oneOf: {
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: boolean;
    }[];
  };

  it("speaks MongoDB's $jsonSchema dialect: bsonType, no draft 2020 keywords", () => {
    const used = keywords(schema);
    expect(used.has('bsonType')).toBe(true);
    for (const keyword of ['type', '$schema', 'const', 'format', '$ref', '$defs'])
      expect(used.has(keyword), keyword).toBe(false);
  });

  it('describes movies and series from the zod contract, dates as BSON dates', () => {
    const [movie, series] = schema.oneOf;
    expect(movie?.properties['type']).toEqual({ bsonType: 'string', enum: ['movie'] });
    expect(movie?.properties['runtime_min']).toMatchObject({
      bsonType: ['int', 'long', 'double'],
      minimum: 1,
      maximum: 400,
    });
    expect(movie?.properties['release_date']).toEqual({ bsonType: 'date' });
    expect(movie?.properties['updated_at']).toEqual({ bsonType: 'date' });
    expect(movie?.properties['licensing']).toMatchObject({
      properties: {
        window_start: { bsonType: 'date' },
        window_end: { anyOf: [{ bsonType: 'date' }, { bsonType: 'null' }] },
      },
    });
    expect(series?.properties['seasons']).toMatchObject({
      items: {
        properties: {
          release_date: { bsonType: 'date' },
          episodes: { items: { properties: { release_date: { bsonType: 'date' } } } },
        },
      },
    });
    expect(movie?.required).toContain('_id');
    expect(movie?.additionalProperties).toBe(false);
  });
});
