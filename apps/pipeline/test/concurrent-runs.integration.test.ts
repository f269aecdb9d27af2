import { describe, expect, it } from 'vitest';

import { spawnCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';

const environment = usePipelineEnvironment('concurrent');
const tiny = ['--scale', 'tiny', '--users', '300', '--sessions', '3000', '--titles', '60'];

describe('two runs started together', () => {
  it('one runs to success, the other exits with code 75 (lock unavailable) and changes nothing', async () => {
    const first = spawnCli(['run', ...tiny, ...targetArgs(environment)], environment.env());
    const second = spawnCli(['run', ...tiny, ...targetArgs(environment)], environment.env());
    const results = await Promise.all([first.result, second.result]);

    expect(results.map((r) => r.code).sort(), results.map((r) => r.stderr).join('\n')).toEqual([
      0, 75,
    ]);
    const loser = results.find((r) => r.code === 75)!;
    expect(loser.stderr).toContain(
      'error (lock_unavailable): Another Reelhouse run holds this warehouse',
    );

    const pool = environment.warehousePool();
    expect((await pool.query('select state from ops.dag_runs')).rows).toEqual([
      { state: 'success' },
    ]);
    const facts = await pool.query<{ n: number }>(
      'select count(*)::int as n from trusted.fact_viewing_session',
    );
    expect(facts.rows).toEqual([{ n: 3000 }]);
  });
});
