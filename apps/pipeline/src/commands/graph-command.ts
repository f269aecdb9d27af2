import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { renderMermaid } from '@reelhouse/orchestrator';

import type { CliContext } from '../cli-context.ts';
import type { Command } from '../cli-options.ts';
import { exitCodes } from '../exit-codes.ts';
import { createPipelineDag } from '../pipeline-dag.ts';
import { offlineResources } from '../offline-resources.ts';
import { fromRoot } from '../workspace-paths.ts';

type GraphCommand = Extract<Command, { name: 'graph' }>;

/** `pipeline graph`: the DAG as a Mermaid flowchart, on stdout or into a file. */
export async function graphCommand(command: GraphCommand, context: CliContext): Promise<number> {
  const mermaid = renderMermaid(createPipelineDag(offlineResources));
  if (command.out === undefined) {
    context.stdout.write(mermaid);
  } else {
    const path = fromRoot(command.out);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, mermaid);
    context.stderr.write(`wrote ${path}\n`);
  }
  return exitCodes.success;
}
