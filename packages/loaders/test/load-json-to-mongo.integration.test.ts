import { execFileSync } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';
import { useMongoDatabase } from '@reelhouse/services/testing';

import { createMongoCollections, loadJsonToMongo } from '../src/index.ts';
import {
  jsonArrayText,
  movieDocument,
  ndjsonText,
  seriesDocument,
} from './fixtures/content-documents.ts';
import { createDataDir } from './fixtures/source-rows.ts';

const mongo = useMongoDatabase('loaders_content');
let data: Awaited<ReturnType<typeof createDataDir>>;

const documents = [
  ...Array.from({ length: 30 }, (_, n) => movieDocument(n + 1)),
  ...Array.from({ length: 10 }, (_, n) => seriesDocument(n + 1)),
];
const lines = documents.map((document) => JSON.stringify(document));

async function contents(): Promise<unknown[]> {
  return mongo.db.collection('content').find({}).sort({ _id: 1 }).toArray();
}

async function rejects(): Promise<unknown[]> {
  return mongo.db
    .collection('content_rejects')
    .find({}, { projection: { _id: 0, index: 1, line: 1, gate: 1, error_code: 1, field: 1 } })
    .sort({ index: 1 })
    .toArray();
}

async function loadError(promise: Promise<unknown>): Promise<ReelhouseError> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ReelhouseError);
  return error as ReelhouseError;
}

beforeAll(async () => {
  await createMongoCollections(mongo.db);
});

beforeEach(async () => {
  data = await createDataDir();
  await mongo.db.collection('content').deleteMany({});
  await mongo.db.collection('content_rejects').deleteMany({});
});

afterEach(async () => {
  await data.remove();
});

describe('loadJsonToMongo', () => {
  it('loads a JSON array written one document per line, with dates as BSON dates', async () => {
    await data.write('content.json', jsonArrayText(lines));
    const report = await loadJsonToMongo(mongo.db, { dataDir: data.dir, batchSize: 7 });
    expect(report).toMatchObject({
      step: 'load_json_to_mongo',
      rowsRead: 40,
      rowsWritten: 40,
      rowsRejected: 0,
      details: { format: 'array', upserted: 40 },
    });
    const series = await mongo.db.collection('content').findOne({ _id: 'ser_3' as never });
    expect(series).toMatchObject({
      title: 'Series 3',
      release_date: new Date('2019-06-14T00:00:00.000Z'),
      updated_at: new Date('2024-03-01T12:00:00.000Z'),
      licensing: { window_start: new Date('2020-01-01T00:00:00.000Z'), window_end: null },
      seasons: [
        {
          release_date: new Date('2021-09-01T00:00:00.000Z'),
          episodes: [
            { release_date: new Date('2021-09-01T00:00:00.000Z') },
            { release_date: new Date('2021-09-08T00:00:00.000Z') },
          ],
        },
      ],
    });
    expect(
      await mongo.db
        .collection('content')
        .countDocuments({ updated_at: { $type: 'date' }, release_date: { $type: 'date' } }),
    ).toBe(40);
    expect(await rejects()).toEqual([]);
  });

  it('loads NDJSON to the same documents, and a second load changes nothing', async () => {
    await data.write('content.json', jsonArrayText(lines));
    await loadJsonToMongo(mongo.db, { dataDir: data.dir });
    const fromArray = await contents();
    await data.write('content.json', ndjsonText(lines));
    const again = await loadJsonToMongo(mongo.db, { dataDir: data.dir });
    expect(again).toMatchObject({
      rowsRead: 40,
      rowsWritten: 0,
      details: { format: 'ndjson', upserted: 0, modified: 0, unchanged: 40 },
    });
    expect(await contents()).toEqual(fromArray);
  });

  it('issue 12: reloads 150 documents into a non-empty collection without hanging FerretDB', async () => {
    // One replace per document into a non-empty collection: before the fix all 150 went in one
    // `update` command, which FerretDB's SQLite backend never finished (it holds a connection
    // per statement, 100 at most).
    const many = Array.from({ length: 150 }, (_, n) => JSON.stringify(movieDocument(n + 1)));
    await data.write('content.json', jsonArrayText(many));
    await loadJsonToMongo(mongo.db, { dataDir: data.dir });
    const changed = Array.from({ length: 150 }, (_, n) =>
      JSON.stringify({ ...movieDocument(n + 1), title: `Movie ${n + 1} (restored)` }),
    );
    await data.write('content.json', jsonArrayText(changed));
    const again = await loadJsonToMongo(mongo.db, { dataDir: data.dir });
    expect(again.details).toMatchObject({ mode: 'upsert', modified: 150 });
    expect(await mongo.db.collection('content').countDocuments({ title: /\(restored\)$/ })).toBe(
      150,
    );
  }, 60_000);

  it('quarantines malformed and contract-breaking documents by index while the others load', async () => {
    const defective = [...lines];
    defective[3] = defective[3]!.slice(0, -5); // malformed_json
    defective[5] = JSON.stringify(movieDocument(6, { release_date: '14/06/2019' })); // bad_date_format
    defective[8] = JSON.stringify({ ...movieDocument(9), runtime_min: 'ninety' }); // wrong_type
    defective[12] = JSON.stringify(
      movieDocument(13, {
        licensing: { window_start: '2021-02-30', window_end: null, regions: ['APAC'] },
      }),
    ); // impossible date
    defective[33] = lines[31]!; // exact_duplicate of document 31
    await data.write('content.json', jsonArrayText(defective));
    const report = await loadJsonToMongo(mongo.db, { dataDir: data.dir, maxRejectRate: 0.5 });
    expect(await rejects()).toEqual([
      { index: 3, line: 5, gate: 'parse', error_code: 'malformed_json', field: null },
      { index: 5, line: 7, gate: 'contract', error_code: 'invalid_format', field: 'release_date' },
      { index: 8, line: 10, gate: 'contract', error_code: 'invalid_type', field: 'runtime_min' },
      {
        index: 12,
        line: 14,
        gate: 'contract',
        error_code: 'invalid_date',
        field: 'licensing.window_start',
      },
      { index: 33, line: 35, gate: 'contract', error_code: 'duplicate_key', field: '_id' },
    ]);
    expect(report).toMatchObject({ rowsRead: 40, rowsWritten: 35, rowsRejected: 5 });
    const ids = (await contents()).map((document) => (document as { _id: string })._id);
    expect(ids).not.toContain('mov_4');
    expect(ids).toContain('ser_2');
    expect(ids).toHaveLength(35);
  });

  it('fails past the reject threshold naming the file and first bad documents, writing nothing', async () => {
    const defective = lines.map((line, index) => (index % 10 === 2 ? '{"_id": ' : line));
    await data.write('content.json', ndjsonText(defective));
    const error = await loadError(loadJsonToMongo(mongo.db, { dataDir: data.dir }));
    expect(error.code).toBe('reject_threshold_exceeded');
    expect(error.message).toContain('content.json: 4 of 40 documents rejected');
    expect(error.message).toContain('#2 line 3');
    expect(await mongo.db.collection('content').countDocuments()).toBe(0);
  });

  it('stops when its AbortSignal fires mid-stream and writes nothing', async () => {
    const pipe = join(data.dir, 'content.json');
    execFileSync('mkfifo', [pipe]);
    const controller = new AbortController();
    const load = loadJsonToMongo(mongo.db, { dataDir: data.dir, signal: controller.signal }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const writer = await open(pipe, 'w');
    await writer.write(`[\n${lines.slice(0, 20).join(',\n')},\n`);
    controller.abort();
    await writer.write(`${lines.slice(20).join(',\n')}\n]\n`).catch(() => undefined);
    await writer.close().catch(() => undefined);
    expect(await load).toMatchObject({ code: 'aborted', context: { file: 'content.json' } });
    expect(await mongo.db.collection('content').countDocuments()).toBe(0);
  });

  it.each([
    { fault: 'an empty file', content: '', line: 1, message: 'the file is empty' },
    {
      fault: 'binary garbage',
      content: '\u0000\u0001PK\u0003\u0004garbage\n',
      line: 1,
      message: 'neither a JSON array nor NDJSON',
    },
    {
      fault: 'a truncated array',
      content: jsonArrayText(lines).slice(0, -300),
      line: 41,
      message: 'the file is truncated inside document 39',
    },
    {
      fault: 'a truncated NDJSON file',
      content: ndjsonText(lines).slice(0, -300),
      line: 40,
      message: 'the file is truncated inside document 39',
    },
    {
      fault: 'a pretty-printed array',
      content: JSON.stringify(documents.slice(0, 2), null, 2),
      line: 2,
      message: 'a pretty-printed JSON array is not supported',
    },
  ])(
    'ends with file_malformed naming the file and position for $fault',
    async ({ content, line, message }) => {
      await data.write('content.json', content);
      const error = await loadError(loadJsonToMongo(mongo.db, { dataDir: data.dir }));
      expect(error.code).toBe('file_malformed');
      expect(error.message).toContain(`content.json line ${line}: ${message}`);
      expect(error.context).toMatchObject({ file: 'content.json', line });
      expect(await mongo.db.collection('content').countDocuments()).toBe(0);
    },
  );
});
