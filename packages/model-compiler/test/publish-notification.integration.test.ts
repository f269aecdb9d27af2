import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, modelsPublishedChannel } from '@reelhouse/warehouse';

import type { AnyKysely } from '../src/any-kysely.ts';
import { buildModels } from '../src/index.ts';
import { plan_summary, premium_users, stg_users } from './fixtures/example-models.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';

const database = usePostgresDatabase('publish_notification');
let db: AnyKysely;
let listener: pg.Client;
const heard: string[] = [];

beforeAll(async () => {
  db = createKysely(createPool({ url: database.url }));
  listener = new pg.Client({ connectionString: database.url });
  await listener.connect();
  listener.on('notification', (message) => {
    if (message.channel === modelsPublishedChannel) heard.push(message.payload ?? '');
  });
  await listener.query(`listen ${modelsPublishedChannel}`);
});
afterAll(async () => {
  await listener.end();
  await db.destroy();
});
beforeEach(async () => {
  await resetToRawFixture(db);
  heard.length = 0;
});

/** A round trip on the listening connection: notifications committed before it arrive before its answer. */
const drain = () => listener.query('select 1');

describe('publish notification (issue 14: caches over trusted learn of every build)', () => {
  it('announces the target schema once per build that published something, at commit', async () => {
    const result = await buildModels(db, { models: [premium_users, plan_summary, stg_users] });
    expect(result.status).toBe('success');
    await drain();
    expect(heard).toEqual(['trusted']);
  });
});
