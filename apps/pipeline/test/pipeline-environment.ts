import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  useMongoDatabase,
  usePostgresDatabase,
  type TestMongo,
  type TestPostgres,
} from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

import { closePool } from '../src/close-pool.ts';

export interface PipelineEnvironment {
  readonly source: TestPostgres;
  readonly warehouse: TestPostgres;
  /** The catalogue's database (the client is the test's own, for assertions). */
  readonly mongo: TestMongo;
  /** A temp folder: `data/` for data sets, `target/` for reports. */
  readonly dir: string;
  /** The environment a CLI child process gets: every database through its URL, nothing shared. */
  env(): Record<string, string>;
  /** A small pool on the warehouse for assertions; closed after the file. */
  warehousePool(): pg.Pool;
}

/** Own source and warehouse databases, Mongo database and folders for the pipeline CLI of one test file. */
export function usePipelineEnvironment(prefix: string): PipelineEnvironment {
  const source = usePostgresDatabase(`${prefix}_src`);
  const warehouse = usePostgresDatabase(`${prefix}_dw`);
  const mongo = useMongoDatabase(prefix);
  let dir: string | undefined;
  let pool: pg.Pool | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `rh-${prefix}-`));
  });
  afterAll(async () => {
    if (pool !== undefined) await closePool(pool);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  const folder = () => {
    if (dir === undefined)
      throw new Error('usePipelineEnvironment: read inside a test, after beforeAll');
    return dir;
  };
  return {
    source,
    warehouse,
    mongo,
    get dir() {
      return folder();
    },
    env() {
      const mongoUrl = new URL(mongo.url);
      mongoUrl.pathname = `/${mongo.databaseName}`;
      return {
        SOURCE_DATABASE_URL: source.url,
        WAREHOUSE_DATABASE_URL: warehouse.url,
        MONGODB_URL: mongoUrl.toString(),
        REELHOUSE_DATA_DIR: join(folder(), 'data'),
      };
    },
    warehousePool() {
      pool ??= createPool({ url: warehouse.url, max: 2, applicationName: 'rh-test-assertions' });
      return pool;
    },
  };
}

/** `--target-dir` inside the environment's folder, so reports never land in the repository. */
export function targetArgs(environment: PipelineEnvironment): string[] {
  return ['--target-dir', join(environment.dir, 'target')];
}
