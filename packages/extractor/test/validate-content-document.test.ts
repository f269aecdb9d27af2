import { describe, expect, it } from 'vitest';

import { contentRows } from '../src/content-rows.ts';
import { validateContentDocument } from '../src/validate-content-document.ts';
import { movie, series } from './content-fixture.ts';

const updatedAt = new Date('2025-04-01T10:00:00.123Z');

describe('validateContentDocument', () => {
  it('accepts a stored document with BSON dates and reports no drift', () => {
    expect(
      validateContentDocument(series(1, { updatedAt, seasons: 2, episodes: 2 })).unknownFields,
    ).toEqual([]);
  });

  it('reports fields outside the contract once per path, array positions folded', () => {
    const doc = movie(1, updatedAt);
    const cast = (doc['cast'] as object[]).map((member) => ({ ...member, agent: 'x' }));

    const validated = validateContentDocument({
      ...doc,
      cast,
      ratings: { internal: { avg: 1, count: 2, source: 'app' }, imdb: null },
      promo: true,
    });

    expect(validated.unknownFields).toEqual(['cast[].agent', 'ratings.internal.source', 'promo']);
    expect(validated.document._id).toBe('mov_1');
  });

  it('throws a contract_violation naming the document and every broken path', () => {
    const broken = { ...movie(7, updatedAt), updated_at: '2025-04-01', runtime_min: 0, extra: 1 };

    expect(() => validateContentDocument(broken)).toThrow(
      expect.objectContaining({
        code: 'contract_violation',
        message: expect.stringMatching(
          /^stream content: document _id mov_7 breaks the expected shape: .*updated_at: .*runtime_min: /,
        ) as unknown,
        context: expect.objectContaining({ stream: 'content', documentId: 'mov_7' }) as unknown,
      }),
    );
  });
});

describe('contentRows: one document as raw rows', () => {
  it('gives episode rows the season row as parent, and dates as calendar text', () => {
    const doc = series(5, { updatedAt, seasons: 2, episodes: 1 });
    const rows = contentRows(doc, {
      document: validateContentDocument(doc).document,
      load: { loadId: 'l1', extractedAt: '2025-01-01T00:00:00.000Z' },
      markers: { seq: 7, changedAt: new Date('2025-01-01T00:00:00.000Z') },
    });

    expect(rows.seasons.map((s) => [s._row_id, s._parent_id, s.release_date])).toEqual([
      ['ser_5/seasons/0', 'ser_5', '2020-09-01'],
      ['ser_5/seasons/1', 'ser_5', '2021-09-01'],
    ]);
    expect(rows.episodes.map((e) => [e._row_id, e._parent_id, e._root_id, e._list_idx])).toEqual([
      ['ser_5/seasons/0/episodes/0', 'ser_5/seasons/0', 'ser_5', 0],
      ['ser_5/seasons/1/episodes/0', 'ser_5/seasons/1', 'ser_5', 0],
    ]);
    expect(rows.content).toMatchObject({
      content_id: 'ser_5',
      runtime_min: null,
      ratings__imdb__score: 7.1,
      licensing__window_end: null,
    });
  });
});
