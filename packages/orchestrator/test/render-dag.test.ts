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
  it('renders one BashOperator per task with its retry policy, timeout and trigger rule, and the same edges', () => {
    const python = renderAirflowDag(dag, {
      generatedBy: 'a test',
      command: (id) => `run ${id} {{ run_id }}`,
    });
    expect(python).toContain(
      [
        '    task_extract = BashOperator(',
        '        task_id="extract",',
        '        bash_command="run extract {{ run_id }}",',
        '        retries=2,',
        '        retry_delay=timedelta(seconds=5),',
        '        retry_exponential_backoff=True,',
        '        max_retry_delay=timedelta(seconds=120),',
        '        execution_timeout=timedelta(seconds=600),',
        '        trigger_rule="all_success",',
        '    )',
      ].join('\n'),
    );
    expect(python).toContain(
      '        trigger_rule="all_done",\n        doc_md="Writes \\"the\\" report.",\n',
    );
    expect(python).toContain('    schedule=None,\n    catchup=False,\n    max_active_runs=1,\n');
    expect(python.endsWith('\n    task_extract >> task_report\n')).toBe(true);
  });
});
