import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';
import { useMongoDatabase, usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import { MongoClient, type Collection } from 'mongodb';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { extractToWarehouse, readSourceVersions, type ExtractOptions } from '../src/index.ts';
import { movie, nestedCounts, series, stamped, type StoredDocument } from './content-fixture.ts';
import { endPools } from './end-pools.ts';
import { countRows } from './source-fixture.ts';

const sourceDb = usePostgresDatabase('extract_content_src');
const warehouseDb = usePostgresDatabase('extract_content_dw');
const mongo = useMongoDatabase('extract_content');
let source: pg.Pool;
let warehouse: pg.Pool;
let content: Collection<StoredDocument>;

const childTables = {
  genres: 'raw.content__genres',
  cast: 'raw.content__cast',
  crew: 'raw.content__crew',
  seasons: 'raw.content__seasons',
  episodes: 'raw.content__seasons__episodes',
};
const at = (iso: string) => new Date(iso);

function extract(options: Partial<ExtractOptions> = {}) {
  return extractToWarehouse({
    source,
    warehouse,
    mongo: mongo.db,
    streams: ['content'],
    ...options,
  });
}

async function rawCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = { content: await countRows(warehouse, 'raw.content') };
  for (const [name, table] of Object.entries(childTables))
    counts[name] = await countRows(warehouse, table);
  return counts;
}

async function sourceCounts(): Promise<Record<string, number>> {
  const documents = await content.find().toArray();
  return { content: documents.length, ...nestedCounts(documents) };
}

async function rawSnapshot() {
  const state = await warehouse.query(
    `select cursor_value, load_id from raw._state where stream = 'content'`,
  );
  const docs = await warehouse.query<{ md5: string | null }>(
    "select md5(string_agg(_doc::text, '|' order by content_id)) as md5 from raw.content",
  );
  return { counts: await rawCounts(), state: state.rows, docs: docs.rows[0]?.md5 };
}

beforeAll(async () => {
  source = createPool({ url: sourceDb.url });
  warehouse = createPool({ url: warehouseDb.url });
  content = mongo.db.collection<StoredDocument>('content');
  const movies = Array.from({ length: 30 }, (_, i) =>
    movie(i + 1, at(`2025-04-01T10:00:${String(i).padStart(2, '0')}.123Z`)),
  );
  const shows = Array.from({ length: 10 }, (_, i) =>
    series(i + 1, {
      updatedAt: at('2025-04-01T11:00:00.456Z'),
      seasons: 1 + (i % 3),
      episodes: 2 + (i % 4),
    }),
  );
  await content.insertMany([...movies, ...shows].map((document) => stamped(document)));
});

afterAll(async () => {
  await endPools([source, warehouse]);
});

describe('extractToWarehouse: the MongoDB content stream', () => {
  it('lands one row per document, flattened, with child rows matching every nested array', async () => {
    const report = await extract();

    expect(
      report.streams.map((s) => [
        s.stream,
        s.status,
        s.rowsExtracted,
        s.rowsInserted,
        s.rowsUpdated,
        s.cursorTo,
      ]),
    ).toEqual([['content', 'succeeded', 40, 40, 0, expect.stringMatching(/^\{"seq":40,/)]]);
    expect(await rawCounts()).toEqual(await sourceCounts());
    const row = await warehouse.query(
      `select type, title, release_date, runtime_min, genres.value as first_genre, production_countries, ratings__imdb__score, ratings__internal__count,
              licensing__window_end, licensing__regions, _doc->>'title' as doc_title, _doc->>'updated_at' as doc_updated_at
         from raw.content join raw.content__genres genres on genres._root_id = content_id and genres._list_idx = 0
        where content_id = 'mov_4'`,
    );
    expect(row.rows).toEqual([
      {
        type: 'movie',
        title: 'Title 4',
        release_date: '2020-05-01',
        runtime_min: 94,
        first_genre: 'drama',
        production_countries: ['US', 'GB'],
        ratings__imdb__score: null,
        ratings__internal__count: 124,
        licensing__window_end: '2030-12-31',
        licensing__regions: ['UCAN', 'EMEA'],
        doc_title: 'Title 4',
        doc_updated_at: '2025-04-01T10:00:03.123Z',
      },
    ]);
    const cast = await warehouse.query(
      `select name, character, _parent_id, _row_id from raw.content__cast where _root_id = 'mov_4' order by _list_idx`,
    );
    expect(cast.rows[0]).toEqual({
      name: 'Ann "Tab"\tLee',
      character: 'Lead\\One',
      _parent_id: 'mov_4',
      _row_id: 'mov_4/cast/0',
    });
    const episodes = await warehouse.query(
      `select _parent_id, _row_id, episode_id, release_date from raw.content__seasons__episodes where _root_id = 'ser_3' order by _row_id limit 1`,
    );
    expect(episodes.rows).toEqual([
      {
        _parent_id: 'ser_3/seasons/0',
        _row_id: 'ser_3/seasons/0/episodes/0',
        episode_id: 'ep_3_1_1',
        release_date: '2020-09-01',
      },
    ]);
  });

  it('reads nothing on a rerun when nothing changed, and changes nothing', async () => {
    const before = await rawSnapshot();

    const report = await extract();

    expect(report.streams.map((s) => [s.rowsExtracted, s.rowsInserted, s.rowsUpdated])).toEqual([
      [0, 0, 0],
    ]);
    expect((await rawSnapshot()).counts).toEqual(before.counts);
    expect((await rawSnapshot()).docs).toEqual(before.docs);
  });

  it('replaces a changed document with all its children and adds new ones', async () => {
    const changed = series(2, {
      updatedAt: at('2025-04-02T09:00:00.001Z'),
      seasons: 1,
      episodes: 1,
    });
    await content.replaceOne({ _id: 'ser_2' }, stamped({ ...changed, title: 'Renamed' }));
    await content.insertOne(stamped(movie(31, at('2025-04-02T09:00:00.001Z'))));

    const report = await extract();

    expect(
      report.streams.map((s) => [s.rowsExtracted, s.rowsInserted, s.rowsUpdated, s.cursorTo]),
    ).toEqual([[2, 1, 1, expect.stringMatching(/^\{"seq":42,/)]]);
    expect(await rawCounts()).toEqual(await sourceCounts());
    const renamed = await warehouse.query(
      `select title, (select count(*)::int from raw.content__seasons__episodes where _root_id = 'ser_2') as episodes from raw.content where content_id = 'ser_2'`,
    );
    expect(renamed.rows).toEqual([{ title: 'Renamed', episodes: 1 }]);
  });

  it('readSourceVersions: a rerun that changes nothing keeps the versions; a change moves every content table to its load', async () => {
    const before = await readSourceVersions(warehouse);
    expect(Object.keys(before).sort()).toEqual(
      ['raw.content', 'raw.content__history', ...Object.values(childTables)].sort(),
    );
    await extract();
    expect(await readSourceVersions(warehouse)).toEqual(before);

    await content.replaceOne({ _id: 'mov_1' }, stamped(movie(1, at('2025-04-02T10:00:00Z'))));
    const report = await extract();
    const loadId = report.streams[0]!.loadId;
    const after = await readSourceVersions(warehouse);
    expect(Object.values(after)).toEqual(Object.values(before).map(() => loadId));
    expect(loadId).not.toBe(before['raw.content']);
  });

  it('keeps fields outside the contract in _doc and reports them', async () => {
    const drifted = movie(32, at('2025-04-03T00:00:00Z'));
    const cast = (drifted['cast'] as Record<string, unknown>[]).map((member) => ({
      ...member,
      agent: 'ACME',
    }));
    await content.insertOne(
      stamped({ ...drifted, cast, trailer_url: 'https://example.com/t.mp4' }),
    );

    const report = await extract();

    expect(report.warnings).toEqual([
      'stream content: new field cast[].agent (in 1 document) is not in the contract; kept in raw.content._doc',
      'stream content: new field trailer_url (in 1 document) is not in the contract; kept in raw.content._doc',
    ]);
    const kept = await warehouse.query(
      `select _doc->>'trailer_url' as trailer, _doc->'cast'->0->>'agent' as agent from raw.content where content_id = 'mov_32'`,
    );
    expect(kept.rows).toEqual([{ trailer: 'https://example.com/t.mp4', agent: 'ACME' }]);
    const ledger = await warehouse.query(`select warnings from raw._loads where load_id = $1`, [
      report.streams[0]!.loadId,
    ]);
    expect(ledger.rows).toEqual([{ warnings: report.warnings }]);
  });

  it('fails on a document that breaks the expected shape, naming stream and _id, and writes nothing but the rejection', async () => {
    await content.insertOne(stamped(movie(33, at('2025-04-04T00:00:00Z'))));
    await content.insertOne(
      stamped({
        ...movie(34, at('2025-04-04T00:00:00Z')),
        ratings: 'great',
        release_date: '2020-05-01',
      }),
    );
    const before = await rawSnapshot();

    const failure = await extract().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ReelhouseError);
    expect(failure).toMatchObject({
      code: 'contract_violation',
      retryable: false,
      context: { stream: 'content', documentId: 'mov_34' },
    });
    expect((failure as Error).message).toMatch(
      /^stream content: document _id mov_34 breaks the expected shape: .*release_date.*ratings/,
    );
    expect(await rawSnapshot()).toEqual(before);
    const rejected =
      await warehouse.query(`select r.stream, r.record_key, r.error_code, l.status, l.rows_rejected
      from raw._rejected_rows r join raw._loads l on l.load_id = r.load_id`);
    expect(rejected.rows).toEqual([
      {
        stream: 'content',
        record_key: 'mov_34',
        error_code: 'contract_violation',
        status: 'failed',
        rows_rejected: 1,
      },
    ]);
  });

  it('rolls back a full refresh aborted mid-stream, then completes on the next run', async () => {
    await content.deleteOne({ _id: 'mov_34' });
    const before = await rawSnapshot();
    const controller = new AbortController();
    // Abort as soon as the first batch is staged: the load is then mid-stream by construction.
    const abortingLogger: Logger = {
      ...silentLogger,
      debug: (_fields, message) => message === 'content batch staged' && controller.abort(),
      child: () => abortingLogger,
    };

    const failure = await extract({
      fullRefresh: true,
      contentBatchSize: 5,
      signal: controller.signal,
      logger: abortingLogger,
    }).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'aborted', context: { stream: 'content' } });
    expect(await rawSnapshot()).toEqual(before);

    const report = await extract({ fullRefresh: true, contentBatchSize: 5 });

    expect(report.streams.map((s) => [s.disposition, s.rowsExtracted, s.rowsInserted])).toEqual([
      ['replace', 43, 43],
    ]);
    expect(await rawCounts()).toEqual(await sourceCounts());
  });

  it('fails with not_found naming the stream when the collection or the source table does not exist', async () => {
    const before = await rawSnapshot();

    const noCollection = await extractToWarehouse({
      source,
      warehouse,
      mongo: mongo.client.db(`${mongo.databaseName}_empty`),
      streams: ['content'],
      fullRefresh: true,
    }).catch((error: unknown) => error);
    const noTable = await extractToWarehouse({
      source,
      warehouse,
      mongo: mongo.db,
      streams: ['users'],
    }).catch((error: unknown) => error);

    expect(noCollection).toMatchObject({
      code: 'not_found',
      message: `stream content: MongoDB database ${mongo.databaseName}_empty has no collection content`,
    });
    expect(noTable).toMatchObject({
      code: 'not_found',
      message: 'stream users: source table public.users does not exist',
    });
    expect(await rawSnapshot()).toEqual(before);
  });

  it('extracts content alongside the PostgreSQL streams: their failure leaves its load committed, and the first failure in stream order is thrown', async () => {
    const contentLoads = async () =>
      (
        await warehouse.query<{ n: string }>(
          `select count(*) as n from raw._loads where stream = 'content' and status = 'succeeded'`,
        )
      ).rows[0]?.n;
    const loadsBefore = Number(await contentLoads());

    // The source database has no tables: users fails, so viewing_sessions (after it in its lane) never starts.
    const failure = await extractToWarehouse({ source, warehouse, mongo: mongo.db }).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({
      code: 'not_found',
      message: 'stream users: source table public.users does not exist',
    });
    expect(Number(await contentLoads())).toBe(loadsBefore + 1);
    expect(
      (await warehouse.query(`select 1 from raw._loads where stream = 'viewing_sessions'`))
        .rowCount,
    ).toBe(0);
    expect(await rawCounts()).toEqual(await sourceCounts());
  });

  it('fails with an error naming the stream when MongoDB is unreachable', async () => {
    const unreachable = new MongoClient('mongodb://127.0.0.1:9', { serverSelectionTimeoutMS: 300 });
    try {
      const failure = await extractToWarehouse({
        source,
        warehouse,
        mongo: unreachable.db('nowhere'),
        streams: ['content'],
      }).catch((error: unknown) => error);

      expect(failure).toMatchObject({
        code: 'service_unavailable',
        retryable: true,
        context: { stream: 'content', collection: 'content' },
      });
      expect((failure as Error).message).toMatch(
        /^stream content: reading MongoDB collection content failed: /,
      );
    } finally {
      await unreachable.close();
    }
  });
});
