import { describe, expect, it } from 'vitest';

import { runCli } from './cli-process.ts';

// Offline: lineage compiles the models, it opens no connection.
describe('models lineage (issue 15)', () => {
  it('prints a column’s upstream tree down to raw, its readers up to the exposures, and rejects an unknown column', async () => {
    const [upstream, downstream, unknown] = await Promise.all([
      runCli(['models', 'lineage', '--column', 'fact_viewing_session.user_key']),
      runCli(['models', 'lineage', '--column', 'dim_user.plan', '--downstream']),
      runCli(['models', 'lineage', '--column', 'fact_viewing_session.user']),
    ]);
    expect(upstream.code, upstream.stderr).toBe(0);
    expect(upstream.stdout).toBe(
      [
        'fact_viewing_session.user_key',
        '└── dim_user.user_key',
        '    ├── raw.users__history._change_seq  (history of raw.users._change_seq)',
        '    ├── raw.users__history._op',
        '    ├── raw.users__history.country_code  (history of raw.users.country_code)',
        '    ├── raw.users__history.plan  (history of raw.users.plan)',
        '    ├── raw.users__history.signup_ts  (history of raw.users.signup_ts)',
        '    ├── raw.users__history.subscription_status  (history of raw.users.subscription_status)',
        '    ├── raw.users__history.updated_at  (history of raw.users.updated_at)',
        '    └── raw.users__history.user_id  (history of raw.users.user_id)',
        'raw columns:',
        '  raw.users__history: _change_seq, _op, country_code, plan, signup_ts, subscription_status, updated_at, user_id',
        '    every extracted version of raw.users._change_seq, raw.users.country_code, raw.users.plan, raw.users.signup_ts, raw.users.subscription_status, raw.users.updated_at, raw.users.user_id',
        '',
      ].join('\n'),
    );

    expect(downstream.code, downstream.stderr).toBe(0);
    expect(downstream.stdout).toBe(
      [
        'dim_user.plan',
        '├── agg_daily_usage.plan',
        '│   └── exposure:dashboard_overview',
        '│       └── exposure:dashboard_overview__watch_hours_by_plan',
        '├── exposure:dashboard_overview',
        '│   └── exposure:dashboard_overview__watch_hours_by_plan',
        '└── exposure:dashboard_users',
        '    └── exposure:dashboard_users__subscribers_by_plan',
        '',
      ].join('\n'),
    );

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'model fact_viewing_session has no column "user"; its columns: session_id, user_key, content_key,',
    );
  }, 300_000);
});
