import type { TaskState } from '@reelhouse/warehouse';
import { describe, expect, it } from 'vitest';

import { defineDag, planRun } from '../src/index.ts';

const noop = () => Promise.resolve();
const dag = defineDag({
  dagId: 'plan',
  tasks: {
    a: { run: noop },
    b: { upstream: ['a'], run: noop },
    c: { upstream: ['b'], run: noop },
    d: { run: noop },
  },
});
const previous = (states: Record<string, TaskState>) => new Map(Object.entries(states));

describe('planRun', () => {
  it('a fresh run executes every task', () => {
    const plan = planRun(dag, { previous: undefined });
    expect([...plan.toRun]).toEqual(['a', 'b', 'c', 'd']);
    expect([...plan.states.values()].every((s) => s === 'queued')).toBe(true);
  });

  it('resume keeps successful and skipped tasks and reruns the rest', () => {
    const plan = planRun(dag, {
      previous: previous({ a: 'success', b: 'failed', c: 'upstream_failed', d: 'skipped' }),
    });
    expect([...plan.toRun]).toEqual(['b', 'c']);
    expect(plan.states.get('a')).toBe('success');
    expect(plan.states.get('b')).toBe('queued');
  });

  it('from clears a task and its downstream', () => {
    const plan = planRun(dag, {
      previous: previous({ a: 'success', b: 'success', c: 'success', d: 'success' }),
      from: 'b',
    });
    expect([...plan.toRun]).toEqual(['b', 'c']);
  });

  it('only runs one task whose upstream succeeded, and refuses otherwise', () => {
    const plan = planRun(dag, {
      previous: previous({ a: 'success', b: 'failed', c: 'upstream_failed', d: 'success' }),
      only: 'b',
    });
    expect([...plan.toRun]).toEqual(['b']);
    expect(plan.states.get('c')).toBe('upstream_failed');
    expect(() =>
      planRun(dag, {
        previous: previous({ a: 'success', b: 'failed', c: 'upstream_failed', d: 'success' }),
        only: 'c',
      }),
    ).toThrow("Cannot run only 'c': upstream not successful: b (failed)");
  });
});
