import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dataManifest, defectRecord, type DefectRecord } from '@reelhouse/contracts';
import { generateDataSet } from '@reelhouse/generators';
import {
  createMongoCollections,
  createPostgresTables,
  loadCsvsToPostgres,
  loadJsonToMongo,
} from '@reelhouse/loaders';
import { useMongoDatabase, usePostgresDatabase } from '@reelhouse/services/testing';

const database = usePostgresDatabase('defect_recall');
const mongo = useMongoDatabase('defect_recall');
let pool: pg.Pool;
let root: string;

const size = { users: 300, sessions: 2_500, titles: 50 } as const;

async function generate(
  name: string,
  options: { seed: number; defectRate: number; titles?: number },
): Promise<string> {
  const outDir = join(root, name);
  await generateDataSet({ outDir, scale: 'recall', ...size, ...options });
  return outDir;
}

async function reset(): Promise<void> {
  await pool.query('TRUNCATE public.users, public.viewing_sessions, public.load_rejects');
  await mongo.db.collection('content').deleteMany({});
  await mongo.db.collection('content_rejects').deleteMany({});
}

/** Where the loaders quarantined something: `file:position` with the gate that caught it. */
async function quarantined(): Promise<Map<string, string>> {
  const csv = await pool.query<{ file: string; line: number; gate: string }>(
    'SELECT file, line, gate FROM public.load_rejects',
  );
  const json = await mongo.db.collection('content_rejects').find({}).toArray();
  return new Map([
    ...csv.rows.map((r) => [`${r.file}:${r.line}`, r.gate] as const),
    ...json.map((r) => [`${String(r['file'])}:${Number(r['index'])}`, String(r['gate'])] as const),
  ]);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rh-recall-'));
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  await createPostgresTables(pool);
  await createMongoCollections(mongo.db);
});

afterAll(async () => {
  await pool.end();
  await rm(root, { recursive: true, force: true });
});

describe('generated defects against the loaders (cross-step)', () => {
  it.each([
    { defectRate: 0.02, seed: 20_261_124 },
    // A denser pass with a larger catalogue, so content.json gets its share of defects too.
    { defectRate: 0.1, seed: 7, titles: 250 },
  ])(
    'catches every parse and contract defect at its gate and position at rate $defectRate, and loads every other row',
    async (options) => {
      const dataDir = await generate(`defective-${options.seed}`, options);
      await reset();
      const csv = await loadCsvsToPostgres(pool, { dataDir, maxRejectRate: 0.3 });
      const json = await loadJsonToMongo(mongo.db, { dataDir, maxRejectRate: 0.3 });
      const defects: DefectRecord[] = (await readFile(join(dataDir, 'defects.jsonl'), 'utf8'))
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => defectRecord.parse(JSON.parse(line)));
      const gated = defects.filter((d) => d.gate !== 'relational');
      expect(gated.length).toBeGreaterThan(20);

      const caught = await quarantined();
      // Recall: every injected parse/contract defect is quarantined where it was injected, by its gate.
      const missed = gated
        .filter((d) => caught.get(`${d.file}:${d.position}`) !== d.gate)
        .map((d) => ({ ...d, caughtAs: caught.get(`${d.file}:${d.position}`) ?? null }));
      expect(missed).toEqual([]);
      // Precision: nothing else is quarantined, so every other row loaded.
      expect(caught.size).toBe(new Set(gated.map((d) => `${d.file}:${d.position}`)).size);
      expect(csv.rowsWritten).toBe(csv.rowsRead - csv.rowsRejected);
      expect(json.rowsWritten).toBe(json.rowsRead - json.rowsRejected);

      // Orphans pass the loaders (no foreign key in the source): the warehouse's tests catch them.
      const orphanKeys = defects
        .filter((d) => d.defect === 'orphan' && d.file === 'viewing_sessions.csv')
        .map((d) => d.key);
      const loadedOrphans = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM public.viewing_sessions WHERE session_id = ANY($1::uuid[])',
        [orphanKeys],
      );
      expect(loadedOrphans.rows).toEqual([{ n: orphanKeys.length }]);
    },
  );

  it('loads a clean data set with zero rejects and the manifest counts', async () => {
    const dataDir = await generate('clean', { seed: 20_261_124, defectRate: 0 });
    await reset();
    const manifest = dataManifest.parse(
      JSON.parse(await readFile(join(dataDir, 'manifest.json'), 'utf8')),
    );
    const csv = await loadCsvsToPostgres(pool, { dataDir, maxRejectRate: 0 });
    const json = await loadJsonToMongo(mongo.db, { dataDir, maxRejectRate: 0 });
    expect({ csv: csv.rowsRejected, json: json.rowsRejected }).toEqual({ csv: 0, json: 0 });
    const counts = await pool.query(
      'SELECT (SELECT count(*) FROM public.users)::int AS users, (SELECT count(*) FROM public.viewing_sessions)::int AS viewing_sessions',
    );
    expect(counts.rows).toEqual([
      { users: manifest.counts.users, viewing_sessions: manifest.counts.viewing_sessions },
    ]);
    expect(await mongo.db.collection('content').countDocuments()).toBe(manifest.counts.titles);
  });
});
