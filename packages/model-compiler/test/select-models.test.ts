import { describe, expect, it } from 'vitest';

import { compileProject, defineModel, selectModels } from '../src/index.ts';
import {
  fact_sessions,
  plan_summary,
  premium_users,
  stg_users,
} from './fixtures/example-models.ts';

const project = compileProject([premium_users, fact_sessions, plan_summary, stg_users]);

describe('selectModels', () => {
  it.each([
    [[], ['fact_sessions', 'stg_users', 'plan_summary', 'premium_users']],
    [['plan_summary'], ['plan_summary']],
    [['+plan_summary'], ['stg_users', 'plan_summary']],
    [['plan_summary+'], ['plan_summary', 'premium_users']],
    [['+plan_summary+'], ['stg_users', 'plan_summary', 'premium_users']],
    [['stg_users+'], ['stg_users', 'plan_summary', 'premium_users']],
    [['+premium_users'], ['stg_users', 'plan_summary', 'premium_users']],
    [['tag:marts'], ['plan_summary', 'premium_users']],
    [['tag:staging+'], ['stg_users', 'plan_summary', 'premium_users']],
    [['fact_sessions stg_users'], ['fact_sessions', 'stg_users']],
    // dbt: a comma is an intersection, space or separate strings a union (issue 15).
    [['fact_sessions,tag:staging', 'premium_users'], ['premium_users']],
    [['tag:marts,config.materialized:table'], ['plan_summary', 'premium_users']],
    [['+premium_users,tag:staging'], ['stg_users']],
    [['1+premium_users'], ['stg_users', 'plan_summary', 'premium_users']],
    [['1+plan_summary+1'], ['stg_users', 'plan_summary', 'premium_users']],
    [['stg_users+1'], ['stg_users', 'plan_summary', 'premium_users']],
    [['@plan_summary'], ['stg_users', 'plan_summary', 'premium_users']],
    [['config.materialized:incremental'], ['fact_sessions']],
    [['config.materialized:view+'], ['stg_users', 'plan_summary', 'premium_users']],
    [['source:raw.viewing_sessions'], ['fact_sessions']],
    [['path:models/plan_summary.ts'], ['plan_summary']],
    [['p*_*'], ['plan_summary', 'premium_users']],
    [['test_type:singular'], []],
    [['test_type:generic'], ['stg_users', 'plan_summary', 'premium_users']],
  ])('%j selects %j, in build order', (selectors, expected) => {
    expect(selectModels(project, selectors)).toEqual(expected);
  });

  it('names every unknown selector', () => {
    expect(() =>
      selectModels(project, ['plan_sumary+', 'tag:nope', 'stg_users', 'colour:red']),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ReelhouseError: invalid selector(s): 'plan_sumary+' matches no model; 'tag:nope' matches no model; unknown selector method 'colour'; models: fact_sessions, stg_users, plan_summary, premium_users]`,
    );
  });

  it('exclude removes what its selectors match, with the same grammar', () => {
    expect(selectModels(project, ['+premium_users'], { exclude: ['stg_users'] })).toEqual([
      'plan_summary',
      'premium_users',
    ]);
    expect(selectModels(project, [], { exclude: ['tag:marts fact_sessions'] })).toEqual([
      'stg_users',
    ]);
  });

  it('an ancestor depth counts levels: 1+ takes parents only', () => {
    const chain = compileProject([
      premium_users,
      plan_summary,
      stg_users,
      defineModel({
        ...premium_users,
        name: 'premium_countries',
        select: (ctx) =>
          ctx.db.selectFrom(ctx.ref(premium_users, 'p')).select(['p.country_code']).distinct(),
        contract: { columns: { country_code: { type: 'text' } } },
        tests: () => [],
      }),
    ]);
    expect(selectModels(chain, ['1+premium_countries'])).toEqual([
      'premium_users',
      'premium_countries',
    ]);
    expect(selectModels(chain, ['2+premium_countries'])).toEqual([
      'stg_users',
      'plan_summary',
      'premium_users',
      'premium_countries',
    ]);
  });

  it('result: and source_status:fresher read an earlier run', () => {
    const previous = {
      models: project.models,
      results: [
        { name: 'stg_users', status: 'success', tests: [{ status: 'warn' }] },
        {
          name: 'plan_summary',
          status: 'error',
          error: { code: 'data_test_failed' },
          tests: [{ status: 'error' }],
        },
        { name: 'premium_users', status: 'skipped', tests: [] },
        { name: 'fact_sessions', status: 'error', error: { code: 'query_failed' }, tests: [] },
      ] as const,
      sourceVersions: { 'raw.users': 'v1', 'raw.viewing_sessions': 'v1' },
    };
    const select = (selector: string) =>
      selectModels(project, [selector], {
        previous,
        sourceVersions: { 'raw.users': 'v1', 'raw.viewing_sessions': 'v2' },
      });
    expect(select('result:error')).toEqual(['fact_sessions', 'plan_summary']);
    expect(select('result:fail+')).toEqual(['plan_summary', 'premium_users']);
    expect(select('result:warn')).toEqual(['stg_users']);
    expect(select('result:skipped')).toEqual(['premium_users']);
    expect(select('source_status:fresher+')).toEqual(['fact_sessions']);
    expect(select('state:new')).toEqual([]);
  });

  it('state:modified selects models new or changed since an earlier manifest; with + their descendants', () => {
    const changedSummary = defineModel({
      ...plan_summary,
      select: (ctx) =>
        ctx.db
          .selectFrom(ctx.ref(stg_users, 'u'))
          .select([
            'u.plan',
            (eb) => eb.fn.countAll<number>().as('users'),
            (eb) => eb.fn.sum<number>('u.monthly_price_cents').as('revenue_cents'),
          ])
          .where('u.country_code', '<>', 'XX')
          .groupBy('u.plan'),
      tests: () => [],
    });
    const current = compileProject([premium_users, fact_sessions, changedSummary, stg_users]);
    expect(selectModels(current, ['state:modified'], { previous: project })).toEqual([
      'plan_summary',
    ]);
    expect(selectModels(current, ['state:modified+'], { previous: project })).toEqual([
      'plan_summary',
      'premium_users',
    ]);
    expect(selectModels(project, ['state:modified+'], { previous: project })).toEqual([]);
    expect(() => selectModels(project, ['state:modified'])).toThrow(
      /state:modified needs --state DIR/,
    );
  });
});
