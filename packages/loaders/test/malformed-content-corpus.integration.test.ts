import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';
import { useMongoDatabase, usePostgresDatabase } from '@reelhouse/services/testing';

import { createMongoCollections, createPostgresTables, loadJsonToMongo } from '../src/index.ts';
import { csvCorpus } from './fixtures/csv-corpus.ts';
import { contentCorpus, goodLines } from './fixtures/content-corpus.ts';
import { jsonArrayText } from './fixtures/content-documents.ts';
import { createDataDir } from './fixtures/source-rows.ts';

// One database of each kind for the whole corpus, reset between cases.
const mongo = useMongoDatabase('loaders_content_corpus');
const source = usePostgresDatabase('loaders_content_corpus');
let pool: pg.Pool;
let data: Awaited<ReturnType<typeof createDataDir>>;
const now = new Date('2026-01-01T00:00:00.000Z');

const contents = () => mongo.db.collection('content').find({}).sort({ _id: 1 }).toArray();

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: source.url, max: 2 });
  await createPostgresTables(pool);
  await createMongoCollections(mongo.db);
});

afterAll(async () => {
  await pool.end();
});

beforeEach(async () => {
  data = await createDataDir();
  await mongo.db.collection('content').deleteMany({});
  await mongo.db.collection('content_rejects').deleteMany({});
  await pool.query('TRUNCATE public.load_rejects');
  await data.write('content.json', jsonArrayText(goodLines()));
});

afterEach(async () => {
  await data.remove();
});

describe('malformed content.json corpus (issue 16)', () => {
  it('makes at least 40 cases with the CSV corpus, over every area', () => {
    expect(contentCorpus.length + csvCorpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(contentCorpus.map((c) => c.area))).toEqual(
      new Set(['json', 'encoding', 'structure', 'values', 'references']),
    );
  });

  it.each(contentCorpus.map((c) => [c.area, c.name, c] as const))(
    '%s: %s',
    async (_area, _name, c) => {
      const load = () =>
        loadJsonToMongo(mongo.db, { dataDir: data.dir, rejectsPool: pool, now, ...c.options });
      if (c.error !== null) await load();
      const before = await contents();
      await data.write('content.json', c.content);
      const outcome: unknown = await load().then(
        (report) => report,
        (error: unknown) => error,
      );
      if (c.error === null) {
        expect(outcome).not.toBeInstanceOf(Error);
        expect(outcome).toMatchObject({ rowsRejected: c.quarantined.length });
      } else {
        expect(outcome).toBeInstanceOf(ReelhouseError);
        expect(outcome).toMatchObject({ code: c.error.code });
        expect((outcome as ReelhouseError).message).toContain(c.error.message);
        expect(await contents()).toEqual(before);
      }
      expect(await mongo.db.collection('content').countDocuments()).toBe(c.loaded);
      const rejects = await mongo.db
        .collection<{ index: number; line: number; error_code: string; reason: string }>(
          'content_rejects',
        )
        .find({})
        .sort({ index: 1 })
        .toArray();
      expect(rejects.map((r) => [r.index, r.line, r.error_code])).toEqual(
        c.quarantined.map(([index, line, code]) => [index, line, code]),
      );
      for (const [i, [, , , reason]] of c.quarantined.entries())
        expect(rejects[i]?.reason).toContain(reason);
      // The same rejects in the source database, where they outlive the MongoDB-wire server.
      const kept = await pool.query<{ line: number; error_code: string }>(
        "SELECT line, error_code FROM public.load_rejects WHERE file = 'content.json' ORDER BY line",
      );
      expect(kept.rows.map((r) => [r.line, r.error_code])).toEqual(
        c.quarantined.map(([, line, code]) => [line, code]),
      );
    },
  );
});
