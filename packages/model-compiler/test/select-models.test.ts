import { describe, expect, it } from 'vitest';

import { compileProject, selectModels } from '../src/index.ts';
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
});
