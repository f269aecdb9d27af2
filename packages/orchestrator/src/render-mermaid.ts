import type { TaskState } from '@reelhouse/warehouse';

import type { Dag } from './define-dag.ts';

const stateStyles: Readonly<Record<TaskState, string>> = {
  queued: 'fill:#eeeeee,stroke:#999999',
  running: 'fill:#cfe8ff,stroke:#1f78d1',
  success: 'fill:#d4f7d4,stroke:#2e8b57',
  failed: 'fill:#ffd6d6,stroke:#c0392b',
  up_for_retry: 'fill:#fff3c4,stroke:#d4a017',
  upstream_failed: 'fill:#ffe4c4,stroke:#e67e22',
  skipped: 'fill:#f0e6ff,stroke:#8e44ad',
  interrupted: 'fill:#e0e0e0,stroke:#555555',
};

/** Renders the DAG as a Mermaid flowchart (left to right), colouring tasks by state when given. */
export function renderMermaid<Ids extends string>(
  dag: Dag<Ids>,
  states?: Readonly<Partial<Record<Ids, TaskState>>>,
): string {
  const lines = ['flowchart LR'];
  for (const id of dag.taskIds) lines.push(`  ${id}["${id}"]`);
  for (const id of dag.taskIds)
    for (const upstream of dag.upstreamOf(id)) lines.push(`  ${upstream} --> ${id}`);
  if (states !== undefined) {
    const used = new Set<TaskState>();
    for (const id of dag.taskIds) {
      const state = states[id];
      if (state === undefined) continue;
      used.add(state);
      lines.push(`  class ${id} ${state}`);
    }
    for (const state of used) lines.push(`  classDef ${state} ${stateStyles[state]}`);
  }
  return `${lines.join('\n')}\n`;
}
