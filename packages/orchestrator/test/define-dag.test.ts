import { ReelhouseError } from '@reelhouse/core';
import { describe, expect, it } from 'vitest';

import { defineDag } from '../src/index.ts';

const noop = () => Promise.resolve();

function graphError(build: () => unknown): ReelhouseError {
  try {
    build();
  } catch (error) {
    if (error instanceof ReelhouseError) return error;
    throw error;
  }
  throw new Error('expected a graph_invalid error');
}

describe('defineDag', () => {
  it('orders tasks upstream first and resolves both edge directions', () => {
    const dag = defineDag({
      dagId: 'd',
      tasks: {
        load: { upstream: ['extract'], run: noop },
        extract: { run: noop },
        report: { upstream: ['load', 'extract'], run: noop },
      },
    });
    expect(dag.taskIds).toEqual(['extract', 'load', 'report']);
    expect(dag.upstreamOf('report')).toEqual(['load', 'extract']);
    expect(dag.downstreamOf('extract')).toEqual(['load', 'report']);
  });

  it('rejects an unknown upstream, a cycle, a self-dependency and an unknown pool, listing every problem at once', () => {
    const error = graphError(() =>
      defineDag({
        dagId: 'broken',
        tasks: {
          a: { upstream: ['c'], run: noop },
          b: { upstream: ['a'], run: noop },
          c: { upstream: ['b'], run: noop },
          // @ts-expect-error: 'extrat' is not a task id of this DAG
          d: { upstream: ['extrat'], run: noop },
          e: { upstream: ['e'], pool: 'gpu', run: noop },
        },
      }),
    );
    expect(error.code).toBe('graph_invalid');
    expect(error.retryable).toBe(false);
    expect(error.context['problems']).toEqual([
      "task 'd': unknown upstream task 'extrat'",
      "task 'e': depends on itself",
      "task 'e': unknown pool 'gpu'",
      'cycle: b -> c -> a -> b',
    ]);
  });

  it('rejects ids that are not snake_case and pools without slots', () => {
    const error = graphError(() =>
      defineDag({ dagId: 'ids', pools: { db: 0 }, tasks: { 'Load-Data': { run: noop } } }),
    );
    expect(error.context['problems']).toEqual([
      "task 'Load-Data': ids are snake_case (^[a-z][a-z0-9_]*$)",
      "pool 'db': slots must be a positive integer",
    ]);
  });
});
