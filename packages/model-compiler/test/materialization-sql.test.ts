import { describe, expect, it } from 'vitest';

import { compileProject, incremental } from '../src/index.ts';
import {
  columnConstraintsSql,
  createTableAsSql,
  createViewSql,
  keyStatements,
} from '../src/contract-ddl.ts';
import {
  applyDeltaStatements,
  postMergeViewSql,
  type DeltaPlan,
} from '../src/incremental-delta.ts';
import { plan_summary, premium_users, stg_users } from './fixtures/example-models.ts';

const project = compileProject([stg_users, plan_summary, premium_users]);
const [stg, summary, premium] = project.models;

describe('contract DDL', () => {
  it('creates a view with every column cast to its contract type', () => {
    expect(createViewSql('trusted.stg_users', stg!.contract, stg!.sql)).toMatchInlineSnapshot(
      `"create view "trusted"."stg_users" as select cast("q"."user_id" as text) as "user_id", cast("q"."plan" as text) as "plan", cast("q"."country_code" as text) as "country_code", cast("q"."monthly_price_cents" as integer) as "monthly_price_cents" from (select "u"."user_id", "u"."plan", "u"."country_code", "u"."monthly_price_cents" from "raw"."users" as "u") as "q""`,
    );
  });

  it('creates a table as the cast select, then NOT NULL and CHECK in one alter, then keys and indexes', () => {
    expect(
      createTableAsSql('staging.plan_summary', summary!.contract, summary!.sql),
    ).toMatchInlineSnapshot(
      `"create table "staging"."plan_summary" as select cast("q"."plan" as text) as "plan", cast("q"."users" as bigint) as "users", cast("q"."revenue_cents" as bigint) as "revenue_cents" from (select "u"."plan", count(*) as "users", sum("u"."monthly_price_cents") as "revenue_cents" from "trusted"."stg_users" as "u" group by "u"."plan") as "q""`,
    );
    expect(columnConstraintsSql('staging.plan_summary', summary!.contract)).toMatchInlineSnapshot(
      `"alter table "staging"."plan_summary" alter column "plan" set not null, alter column "users" set not null, add constraint "plan_summary_users_check" check ("users" > 0), alter column "revenue_cents" set not null"`,
    );
    expect(
      keyStatements({
        relation: 'staging.premium_users',
        contract: premium!.contract,
        ref: (name) => `staging.${name}`,
      }),
    ).toMatchInlineSnapshot(`
      [
        "alter table "staging"."premium_users" add constraint "premium_users_pkey" primary key ("user_id")",
        "alter table "staging"."premium_users" add constraint "premium_users_fk_1" foreign key ("plan") references "staging"."plan_summary" ("plan")",
      ]
    `);
  });
});

describe('incremental delta SQL', () => {
  const plan = (
    materialization: DeltaPlan['materialization'],
    ranges: DeltaPlan['ranges'] = [],
  ): DeltaPlan => ({
    target: 'trusted.sessions',
    delta: 'staging.sessions__delta',
    materialization,
    columns: ['session_id', 'started_at', 'watch_duration_s'],
    ranges,
  });

  it('append inserts the new rows', () => {
    expect(applyDeltaStatements(plan(incremental({ strategy: 'append', uniqueKey: [] }))))
      .toMatchInlineSnapshot(`
      [
        "insert into "trusted"."sessions" ("session_id", "started_at", "watch_duration_s") select "session_id", "started_at", "watch_duration_s" from "staging"."sessions__delta"",
      ]
    `);
  });

  it('delete+insert deletes the rows sharing a key with the delta, then inserts', () => {
    expect(
      applyDeltaStatements(
        plan(incremental({ strategy: 'delete+insert', uniqueKey: ['session_id'] })),
      ),
    ).toMatchInlineSnapshot(`
      [
        "delete from "trusted"."sessions" as "t" where exists (select 1 from "staging"."sessions__delta" as "d" where "d"."session_id" = "t"."session_id")",
        "insert into "trusted"."sessions" ("session_id", "started_at", "watch_duration_s") select "session_id", "started_at", "watch_duration_s" from "staging"."sessions__delta"",
      ]
    `);
  });

  it('merge updates matched keys and inserts the others', () => {
    expect(
      applyDeltaStatements(plan(incremental({ strategy: 'merge', uniqueKey: ['session_id'] }))),
    ).toMatchInlineSnapshot(`
      [
        "merge into "trusted"."sessions" as "t" using "staging"."sessions__delta" as "d" on "t"."session_id" = "d"."session_id" when matched then update set "started_at" = "d"."started_at", "watch_duration_s" = "d"."watch_duration_s" when not matched then insert ("session_id", "started_at", "watch_duration_s") values ("d"."session_id", "d"."started_at", "d"."watch_duration_s")",
      ]
    `);
  });

  it('by time range replaces whole intervals', () => {
    const byDay = incremental({
      strategy: 'delete+insert',
      uniqueKey: [],
      timeColumn: 'started_at',
      interval: 'day',
    });
    const ranges = [
      { start: new Date('2024-01-02T00:00:00Z'), end: new Date('2024-01-03T00:00:00Z') },
    ];
    expect(applyDeltaStatements(plan(byDay, ranges))).toMatchInlineSnapshot(`
      [
        "delete from "trusted"."sessions" as "t" where ("t"."started_at" >= '2024-01-02T00:00:00.000Z' and "t"."started_at" < '2024-01-03T00:00:00.000Z')",
        "insert into "trusted"."sessions" ("session_id", "started_at", "watch_duration_s") select "session_id", "started_at", "watch_duration_s" from "staging"."sessions__delta"",
      ]
    `);
  });

  it('shows the table as merged through a view, for downstream models of the same build', () => {
    expect(
      postMergeViewSql({
        ...plan(incremental({ strategy: 'merge', uniqueKey: ['session_id'] })),
        view: 'staging.sessions',
      }),
    ).toMatchInlineSnapshot(
      `"create view "staging"."sessions" as select "session_id", "started_at", "watch_duration_s" from "trusted"."sessions" as "t" where not (exists (select 1 from "staging"."sessions__delta" as "d" where "d"."session_id" = "t"."session_id")) union all select "session_id", "started_at", "watch_duration_s" from "staging"."sessions__delta""`,
    );
  });
});
