import { ReelhouseError } from '@reelhouse/core';

import type { PipelineResources } from './pipeline-dag.ts';

/** Resources of a DAG built only for its shape (`graph`, `airflow-dag`): running a task is a bug. */
export function offlineResources(): PipelineResources {
  throw new ReelhouseError({
    code: 'internal',
    message: 'this DAG was built for its shape only; it has no connections to run tasks',
  });
}
