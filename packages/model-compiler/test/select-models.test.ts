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
    [
      ['fact_sessions,tag:staging', 'premium_users'],
      ['fact_sessions', 'stg_users', 'premium_users'],
    ],
  ])('%j selects %j, in build order', (selectors, expected) => {
    expect(selectModels(project, selectors)).toEqual(expected);
  });

  it('names every unknown selector', () => {
    expect(() =>
      selectModels(project, ['plan_sumary+', 'tag:nope', 'stg_users']),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ReelhouseError: unknown selector(s): plan_sumary+, tag:nope; models: fact_sessions, stg_users, plan_summary, premium_users]`,
    );
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
      /state:modified needs the manifest of an earlier build/,
    );
  });
});
