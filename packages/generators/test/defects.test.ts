import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  contentDocument,
  dataFiles,
  dataManifest,
  defectRecord,
  userColumns,
  userCsvRow,
  viewingSessionColumns,
  viewingSessionCsvRow,
  type DefectRecord,
} from '@reelhouse/contracts';

import { generateDataSet, type GenerateReport } from '../src/index.ts';
import { parseCsvLine, toRecord } from './csv-line.ts';
import { documentText, readLines } from './data-set-files.ts';

const size = { users: 1_000, sessions: 8_000, titles: 300 };
let root = '';
let defective = '';
let clean = '';
let records: DefectRecord[] = [];
let report: GenerateReport | undefined;

type Gate = DefectRecord['gate'] | 'none';

/** The first gate a CSV line fails, applying them in the loaders' order; duplicates by key. */
function csvGate(
  line: string,
  options: {
    readonly columns: readonly string[];
    readonly schema: typeof userCsvRow | typeof viewingSessionCsvRow;
    readonly seenKeys: Set<string>;
    readonly key: string;
  },
): Gate {
  const parsed = parseCsvLine(line, options.columns.length);
  if (!parsed.ok) return 'parse';
  const row = toRecord(options.columns, parsed.cells);
  if (!options.schema.safeParse(row).success) return 'contract';
  const key = row[options.key] ?? '';
  if (options.seenKeys.has(key)) return 'contract';
  options.seenKeys.add(key);
  return 'none';
}

function documentGate(line: string, seenKeys: Set<string>): Gate {
  let value: unknown;
  try {
    value = JSON.parse(documentText(line));
  } catch {
    return 'parse';
  }
  const parsed = contentDocument.safeParse(value);
  if (!parsed.success) return 'contract';
  if (seenKeys.has(parsed.data._id)) return 'contract';
  seenKeys.add(parsed.data._id);
  return 'none';
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reelhouse-defects-'));
  defective = join(root, 'defective');
  clean = join(root, 'clean');
  report = await generateDataSet({
    outDir: defective,
    seed: 11,
    scale: 'test',
    ...size,
    defectRate: 0.05,
  });
  await generateDataSet({ outDir: clean, seed: 11, scale: 'test', ...size });
  records = readLines(defective, dataFiles.defects).map((line) =>
    defectRecord.parse(JSON.parse(line)),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('defect injection', () => {
  it('injects about the requested share of lines, of every class each file allows', () => {
    const total = size.users + size.sessions + size.titles;
    expect(records.length).toBeGreaterThan(total * 0.035);
    expect(records.length).toBeLessThan(total * 0.065);
    const sessionClasses = new Set(
      records.filter((r) => r.file === 'viewing_sessions.csv').map((r) => r.defect),
    );
    expect([...sessionClasses].sort()).toEqual(
      [
        'bad_casing',
        'bad_country_code',
        'bad_date_format',
        'bom',
        'conflicting_duplicate',
        'crlf_mix',
        'empty_required',
        'end_before_start',
        'exact_duplicate',
        'extra_column',
        'missing_column',
        'nul_byte',
        'orphan',
        'out_of_range',
        'unbalanced_quote',
        'wrong_type',
      ].sort(),
    );
    const userClasses = new Set(records.filter((r) => r.file === 'users.csv').map((r) => r.defect));
    expect(userClasses.size).toBeGreaterThanOrEqual(12);
    expect(records.some((r) => r.file === 'content.json')).toBe(true);
    const byClass: Record<string, number> = {};
    for (const r of records)
      byClass[`${r.file}/${r.defect}`] = (byClass[`${r.file}/${r.defect}`] ?? 0) + 1;
    expect(report?.details).toMatchObject({ defects: { total: records.length, byClass } });
  });

  it('lists each defect once, never on a header, in file order', () => {
    const positions = records.map((r) => `${r.file}:${r.position}`);
    expect(new Set(positions).size).toBe(records.length);
    for (const record of records)
      expect(record.position).toBeGreaterThanOrEqual(record.file === 'content.json' ? 0 : 2);
  });

  it('changes exactly the listed lines and keeps every line count', () => {
    for (const file of [dataFiles.users, dataFiles.viewingSessions, dataFiles.content]) {
      const before = readLines(clean, file);
      const after = readLines(defective, file);
      expect(after).toHaveLength(before.length);
      const listed = new Set(
        records
          .filter((r) => r.file === file)
          .map((r) => (file === dataFiles.content ? r.position + 2 : r.position)),
      );
      before.forEach((line, index) => {
        expect(after[index] !== line, `${file}:${index + 1}`).toBe(listed.has(index + 1));
      });
    }
  });

  it('makes every listed CSV line fail exactly at its gate, and no other line fail', () => {
    for (const [file, columns, schema, key] of [
      [dataFiles.users, userColumns, userCsvRow, 'user_id'],
      [dataFiles.viewingSessions, viewingSessionColumns, viewingSessionCsvRow, 'session_id'],
    ] as const) {
      const lines = readLines(defective, file);
      const expected = new Map(records.filter((r) => r.file === file).map((r) => [r.position, r]));
      const seenKeys = new Set<string>();
      lines.slice(1).forEach((line, index) => {
        const position = index + 2;
        const gate = csvGate(line, { columns, schema, seenKeys, key });
        const record = expected.get(position);
        expect(gate, `${file}:${position} ${record?.defect ?? 'clean'}`).toBe(
          record === undefined || record.gate === 'relational' ? 'none' : record.gate,
        );
      });
    }
  });

  it('makes every listed content document fail exactly at its gate, and no other document fail', () => {
    const lines = readLines(defective, dataFiles.content).slice(1, -1);
    const expected = new Map(
      records.filter((r) => r.file === 'content.json').map((r) => [r.position, r]),
    );
    const seenKeys = new Set<string>();
    lines.forEach((line, position) => {
      const record = expected.get(position);
      expect(
        documentGate(line, seenKeys),
        `document ${position} ${record?.defect ?? 'clean'}`,
      ).toBe(record?.gate ?? 'none');
    });
  });

  it('leaves exactly the listed orphans once rejected lines are set aside', () => {
    const userIds = new Set<string>();
    const seenUsers = new Set<string>();
    for (const line of readLines(defective, dataFiles.users).slice(1)) {
      if (
        csvGate(line, {
          columns: userColumns,
          schema: userCsvRow,
          seenKeys: seenUsers,
          key: 'user_id',
        }) === 'none'
      )
        userIds.add(line.slice(0, 36));
    }
    const playable = new Set<string>();
    const seenDocuments = new Set<string>();
    for (const line of readLines(defective, dataFiles.content).slice(1, -1)) {
      if (documentGate(line, seenDocuments) !== 'none') continue;
      const document = contentDocument.parse(JSON.parse(documentText(line)));
      if (document.type === 'movie') playable.add(document._id);
      else
        for (const season of document.seasons)
          for (const episode of season.episodes) playable.add(episode.episode_id);
    }
    const orphans = new Set(records.filter((r) => r.defect === 'orphan').map((r) => r.position));
    const seenSessions = new Set<string>();
    readLines(defective, dataFiles.viewingSessions)
      .slice(1)
      .forEach((line, index) => {
        if (
          csvGate(line, {
            columns: viewingSessionColumns,
            schema: viewingSessionCsvRow,
            seenKeys: seenSessions,
            key: 'session_id',
          }) !== 'none'
        )
          return;
        const [, userId = '', contentId = ''] = line.split(',');
        const resolves = userIds.has(userId) && playable.has(contentId);
        expect(resolves, `viewing_sessions.csv:${index + 2}`).toBe(!orphans.has(index + 2));
      });
  });

  it('is deterministic and recorded in the manifest', async () => {
    const again = join(root, 'again');
    await generateDataSet({ outDir: again, seed: 11, scale: 'test', ...size, defectRate: 0.05 });
    const first = dataManifest.parse(
      JSON.parse(await readFile(join(defective, dataFiles.manifest), 'utf8')),
    );
    const second = dataManifest.parse(
      JSON.parse(await readFile(join(again, dataFiles.manifest), 'utf8')),
    );
    expect(second).toEqual(first);
    expect(first.defect_rate).toBe(0.05);
    expect(Object.keys(first.files)).toContain(dataFiles.defects);
    expect(
      (await readFile(join(again, dataFiles.defects))).equals(
        await readFile(join(defective, dataFiles.defects)),
      ),
    ).toBe(true);
  });
});
