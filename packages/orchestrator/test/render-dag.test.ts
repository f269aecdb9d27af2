import { describe, expect, it } from 'vitest';

import { defineDag, renderAirflowDag, renderMermaid } from '../src/index.ts';

const noop = () => Promise.resolve();
const dag = defineDag({
  dagId: 'small_dag',
  tasks: {
    extract: {
      retries: 2,
      retryDelayMs: 5_000,
      maxRetryDelayMs: 120_000,
      timeoutMs: 600_000,
      run: noop,
    },
    report: {
      upstream: ['extract'],
      triggerRule: 'all_done',
      description: 'Writes "the" report.',
      run: noop,
    },
  },
});

const pooled = defineDag({
  dagId: 'small_dag',
  pools: { db: 2 },
  tasks: {
    extract: { ...dag.tasks.extract, pool: 'db' },
    report: dag.tasks.report,
  },
});

describe('renderMermaid', () => {
  it('draws every task and edge, coloured by state when states are given', () => {
    expect(renderMermaid(dag)).toBe(
      'flowchart LR\n  extract["extract"]\n  report["report"]\n  extract --> report\n',
    );
    expect(renderMermaid(dag, { extract: 'failed' })).toContain(
      '  class extract failed\n  classDef failed fill:#ffd6d6,stroke:#c0392b\n',
    );
  });
});

describe('renderAirflowDag', () => {
  const bash = {
    kind: 'bash',
    projectDir: { variable: 'project_dir', environment: 'PROJECT_DIR' },
  } as const;

  it('renders one BashOperator per task with its retry policy, timeout, pool and trigger rule, and the same edges', () => {
    const python = renderAirflowDag(pooled, {
      generatedBy: 'a test',
      taskArgv: (id) => ['run', id, '{{ run_id }}'],
      runner: bash,
      poolPrefix: 'x_',
    });
    expect(python).toContain(
      [
        '    task_extract = BashOperator(',
        '        task_id="extract",',
        `        bash_command=IN_PROJECT + "run extract '{{ run_id }}'",`,
        '        retries=2,',
        '        retry_delay=timedelta(seconds=5),',
        '        retry_exponential_backoff=True,',
        '        max_retry_delay=timedelta(seconds=120),',
        '        execution_timeout=timedelta(seconds=600),',
        '        pool="x_db",',
        '        trigger_rule="all_success",',
        '    )',
      ].join('\n'),
    );
    expect(python).toContain(
      '        trigger_rule="all_done",\n        doc_md="Writes \\"the\\" report.",\n',
    );
    expect(python).toContain('POOLS = {"x_db": 2}\n');
    expect(python).toContain('    airflow pools set x_db 2 "small_dag: db"\n');
    expect(python).toContain('    schedule=None,\n    catchup=False,\n    max_active_runs=1,\n');
    expect(python).toContain(
      'try:  # Airflow 3, or Airflow 2 with the standard provider\n    from airflow.providers.standard.operators.bash import BashOperator\nexcept ImportError:  # Airflow 2\n    from airflow.operators.bash import BashOperator\n',
    );
    expect(python.endsWith('\n    task_extract >> task_report\n')).toBe(true);
  });

  it('renders the schedule, start date and params', () => {
    const python = renderAirflowDag(dag, {
      generatedBy: 'a test',
      taskArgv: (id) => ['run', id],
      runner: bash,
      schedule: '@daily',
      catchup: true,
      startDate: '2026-03-01',
      params: { seed: { default: 7, type: 'integer', minimum: 0 } },
    });
    expect(python).toContain(
      [
        '    start_date=datetime(2026, 3, 1, tzinfo=timezone.utc),',
        '    schedule="@daily",',
        '    catchup=True,',
        '    max_active_runs=1,',
        '    params={',
        '        "seed": Param(7, type="integer", minimum=0),',
        '    },',
      ].join('\n'),
    );
  });
});
