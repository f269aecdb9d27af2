import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { renderMermaid } from '@reelhouse/orchestrator';

import type { CliContext } from '../cli-context.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { exitCodes } from '../exit-codes.ts';
import { createPipelineDag } from '../pipeline-dag.ts';
import { offlineResources } from '../offline-resources.ts';
import { fromRoot } from '../workspace-paths.ts';

export interface GraphOptions {
  readonly out?: string | undefined;
}

export const registerGraphCommand: RegisterCommand = (program, select) => {
  program
    .command('graph')
    .description('the DAG as a Mermaid flowchart')
    .option('--out <file>', 'write it there instead of stdout')
    .action((values: Record<string, unknown>) => {
      const options: GraphOptions = { out: values['out'] as string | undefined };
      select({ name: 'graph', options, execute: (context) => graphCommand(options, context) });
    });
};

/** `pipeline graph`: the DAG as a Mermaid flowchart, on stdout or into a file. */
export async function graphCommand(command: GraphOptions, context: CliContext): Promise<number> {
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
