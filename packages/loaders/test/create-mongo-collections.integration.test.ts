import { describe, expect, it } from 'vitest';

import { createMemoryLogger } from '@reelhouse/core';
import { useMongoDatabase } from '@reelhouse/services/testing';

import { createMongoCollections } from '../src/index.ts';

const mongo = useMongoDatabase('loaders_collections');

describe('createMongoCollections', () => {
  it('creates content and content_rejects with their indexes, and reruns cleanly', async () => {
    const logger = createMemoryLogger();
    const first = await createMongoCollections(mongo.db, { logger });
    const second = await createMongoCollections(mongo.db, { logger });
    const names = (await mongo.db.listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(['_deletes', 'content', 'content_rejects']);
    const indexes = (await mongo.db.collection('content').indexes())
      .map((index) => index.name)
      .sort();
    expect(indexes).toEqual([
      '_change_seq_1',
      '_change_seq_1__id_1',
      '_changed_at_1',
      '_id_',
      'updated_at_1',
    ]);
    const rejectIndexes = await mongo.db.collection('content_rejects').indexes();
    expect(rejectIndexes.find((index) => index.name === 'file_1_index_1')).toMatchObject({
      key: { file: 1, index: 1 },
      unique: true,
    });
    expect(second.warnings).toEqual(first.warnings);
    // FerretDB 1.x has no validators: the step says so instead of failing or staying silent.
    const info = await mongo.db.admin().command({ buildInfo: 1 });
    if (JSON.stringify(info).toLowerCase().includes('ferretdb')) {
      expect(first.warnings).toHaveLength(1);
      expect(first.warnings[0]).toContain('does not support collection validators');
      expect(
        logger.records.filter((record) => record.level === 'warn').map((record) => record.message),
      ).toEqual([first.warnings[0], second.warnings[0]]);
      expect(first.details).toEqual({ validator: false });
    } else {
      expect(first.warnings).toEqual([]);
      expect(first.details).toEqual({ validator: true });
    }
  });
});
