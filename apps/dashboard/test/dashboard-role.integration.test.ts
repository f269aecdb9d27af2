import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createDashboardApp,
  dashboardRoleName,
  ensureDashboardRole,
  openDashboardDatabase,
} from '../src/index.ts';

const pg = usePostgresDatabase('dashboard_role');
let owner: Kysely<TrustedSchema>;
let secretDir: string;
let role: string;

const storedPassword = async () =>
  (
    await sql<{
      rolpassword: string | null;
    }>`select rolpassword from pg_catalog.pg_authid where rolname = ${role}`.execute(owner)
  ).rows[0]?.rolpassword;

beforeAll(async () => {
  owner = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  role = dashboardRoleName(pg.name);
  secretDir = await mkdtemp(join(tmpdir(), 'dashboard-role-'));
  await insertTrustedFixture(owner);
  await sql`create schema if not exists raw`.execute(owner);
  await sql`create table raw.secrets (email text)`.execute(owner);
});

afterAll(async () => {
  await sql`drop owned by ${sql.id(role)}`.execute(owner);
  await sql`drop role if exists ${sql.id(role)}`.execute(owner);
  await closeKysely(owner, pg);
  await rm(secretDir, { recursive: true, force: true });
});

describe('the dashboard role (issue 14)', () => {
  it('is one role per warehouse database', () => {
    expect(role).toBe(`reelhouse_dashboard_${pg.name}`);
    expect(dashboardRoleName('streaming_dw')).not.toBe(dashboardRoleName('other_dw'));
  });

  it('never sends its password in clear text: the server gets a SCRAM verifier', async () => {
    const sent: string[] = [];
    const logged = new Kysely<TrustedSchema>({
      dialect: new PostgresDialect({ pool: createPool({ url: pg.url, max: 1 }) }),
      log: (event: LogEvent) => {
        sent.push(event.query.sql, ...event.query.parameters.map(String));
      },
    });
    try {
      const password = 'clear-text-password-0123';
      expect((await ensureDashboardRole(logged, { password })).ready).toBe(true);
      expect(sent.length).toBeGreaterThan(3);
      expect(sent.filter((text) => text.includes(password))).toEqual([]);
      expect(await storedPassword()).toMatch(/^SCRAM-SHA-256\$4096:/);
    } finally {
      await logged.destroy();
    }
  });

  it('gets a random password, made once, in a file only the owner can read, not reset by later starts', async () => {
    const first = await openDashboardDatabase({ url: pg.url, secretDir });
    await first.db.destroy();
    const files = await readdir(join(secretDir, 'dashboard-roles'));
    expect(files).toHaveLength(1);
    const file = join(secretDir, 'dashboard-roles', files[0]!);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(secretDir, 'dashboard-roles'))).mode & 0o077).toBe(0);
    const verifier = await storedPassword();
    const second = await openDashboardDatabase({ url: pg.url, secretDir });
    try {
      expect(second.user).toBe(role);
      expect(await storedPassword()).toBe(verifier);
      const who = await sql<{ user: string }>`select current_user as user`.execute(second.db);
      expect(who.rows[0]?.user).toBe(role);
    } finally {
      await second.db.destroy();
    }
  });

  it('reads trusted only, cannot write, make temporary tables or manage roles, and has its limits set', async () => {
    const { db: reader } = await openDashboardDatabase({ url: pg.url, secretDir });
    try {
      const sessions = await reader
        .selectFrom('trusted.fact_viewing_session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(sessions.n).toBe(800);
      await expect(sql`delete from trusted.dim_user`.execute(reader)).rejects.toThrow(
        /read-only transaction|permission denied/,
      );
      await expect(
        sql`set transaction read write; create table trusted.evil (x int)`.execute(reader),
      ).rejects.toThrow(/permission denied|read-only/);
      await expect(sql`select * from raw.secrets`.execute(reader)).rejects.toThrow(
        /permission denied/,
      );
      await expect(
        sql`begin read write; create temporary table scratch (x int)`.execute(reader),
      ).rejects.toThrow(/permission denied to create temporary tables/);
      await sql`rollback`.execute(reader);
      await expect(sql`create role intruder`.execute(reader)).rejects.toThrow(
        /permission denied|read-only/,
      );
      const settings = await sql<{ timeout: string; readOnly: string }>`
        select current_setting('statement_timeout') as timeout,
          current_setting('default_transaction_read_only') as "readOnly"`.execute(reader);
      expect(settings.rows[0]).toEqual({ timeout: '15s', readOnly: 'on' });
      const attributes = await sql<{ attributes: boolean[] }>`
        select array[rolsuper, rolcreaterole, rolcreatedb, rolinherit, rolreplication, rolbypassrls] as attributes
        from pg_catalog.pg_roles where rolname = current_user`.execute(reader);
      expect(attributes.rows[0]?.attributes).toEqual([false, false, false, false, false, false]);
    } finally {
      await reader.destroy();
    }
  });

  it('gets its limits back at the next start when it lifted them itself (PostgreSQL 15 lets a role do that)', async () => {
    const first = await openDashboardDatabase({ url: pg.url, secretDir });
    try {
      await sql`begin read write; alter role ${sql.id(role)} in database ${sql.id(pg.name)} set statement_timeout = 0; commit`.execute(
        first.db,
      );
    } finally {
      await first.db.destroy();
    }
    const second = await openDashboardDatabase({ url: pg.url, secretDir });
    try {
      const timeout = await sql<{ timeout: string }>`
        select setting as timeout from pg_catalog.pg_db_role_setting s,
          lateral unnest(s.setconfig) as setting
        where s.setrole = ${role}::regrole and setting like 'statement_timeout=%'`.execute(owner);
      expect(timeout.rows.map((row) => row.timeout)).toEqual(['statement_timeout=15s']);
    } finally {
      await second.db.destroy();
    }
  });

  it('grants itself SELECT again on a table a build published without it', async () => {
    const opened = await openDashboardDatabase({ url: pg.url, secretDir });
    try {
      // What a first models build does: the table arrives from a staging schema, without grants.
      await sql`create schema staging`.execute(owner);
      await sql`create table staging.agg_daily_content as select * from trusted.agg_daily_content`.execute(
        owner,
      );
      await sql`drop table trusted.agg_daily_content`.execute(owner);
      await sql`alter table staging.agg_daily_content set schema trusted`.execute(owner);
      const withoutRepair = await createDashboardApp({ db: opened.db });
      expect(
        await (await withoutRepair.request('/content?from=2026-03-01&to=2026-03-31')).text(),
      ).toContain('may not read trusted.agg_daily_content');
      const app = await createDashboardApp({
        db: opened.db,
        ...(opened.repairGrants === undefined ? {} : { repairGrants: opened.repairGrants }),
      });
      const response = await app.request('/api/panels/top_titles?from=2026-03-01&to=2026-03-31');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    } finally {
      await opened.db.destroy();
    }
  });
});
