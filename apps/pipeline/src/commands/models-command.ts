import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  buildModels,
  compileProject,
  renderModelDocs,
  selectModels,
  type BuildResult,
} from '@reelhouse/model-compiler';
import { readSourceVersions } from '@reelhouse/extractor';
import { models } from '@reelhouse/models';
import { createKysely } from '@reelhouse/warehouse';

import type { CliContext } from '../cli-context.ts';
import type { Command } from '../cli-options.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { openResources } from '../open-resources.ts';
import { fromRoot } from '../workspace-paths.ts';

type ModelsBuildCommand = Extract<Command, { name: 'models-build' }>;
type ModelsDocsCommand = Extract<Command, { name: 'models-docs' }>;

/** One line per model: status, materialization, rows and test outcome. */
export function renderBuildSummary(result: BuildResult): string {
  const width = Math.max(5, ...result.models.map((m) => m.name.length));
  const lines = result.models.map((m) => {
    if (m.mode === 'up_to_date')
      return `  ${m.status.padEnd(7)} ${m.name.padEnd(width)}  ${m.materialization.padEnd(11)} ${'up to date'.padStart(14)}  sources and code unchanged since its last build`;
    const failing = m.tests.filter((t) => t.status !== 'pass');
    const tests = `${m.tests.length - failing.length}/${m.tests.length} tests pass`;
    const rows = m.rows === null ? '' : `${m.rows.toLocaleString('en-US')} rows`;
    const problems = [
      m.error?.message,
      ...failing.map((t) => `${t.name} ${t.status} (${t.failures} rows)`),
    ].filter((p) => p !== undefined);
    return `  ${m.status.padEnd(7)} ${m.name.padEnd(width)}  ${m.materialization.padEnd(11)} ${rows.padStart(14)}  ${tests}${problems.length > 0 ? `  ${problems.join('; ')}` : ''}`;
  });
  const verdict = result.validateOnly
    ? `validated (rolled back): ${result.status}`
    : `${result.status}${publishedLine(result)}`;
  return `${lines.join('\n')}\nbuild ${result.buildId}: ${verdict} in ${(result.durationMs / 1000).toFixed(1)} s${result.error ? `: ${result.error.message}` : ''}\n`;
}

function publishedLine(result: BuildResult): string {
  if (result.published) return `, published to ${result.targetSchema}`;
  const built = result.models.filter((m) => m.mode !== 'up_to_date').length;
  const skipped = result.models.filter((m) => m.status === 'skipped').map((m) => m.name);
  const published = result.publishedModels.length;
  return `, ${published === 0 ? 'nothing' : `${published} of ${built} models`} published to ${result.targetSchema}${skipped.length > 0 ? `; skipped: ${skipped.join(', ')}` : ''}`;
}

/** `models build`: the transforms alone; `--dry-run` compiles offline and prints the plan and SQL. */
export async function modelsBuildCommand(
  command: ModelsBuildCommand,
  context: CliContext,
): Promise<number> {
  const { config, stdout, stderr } = context;
  if (command.dryRun) {
    const project = compileProject(models);
    const selected = new Set(selectModels(project, command.select));
    for (const model of project.models.filter((m) => selected.has(m.name))) {
      stdout.write(
        `-- ${model.name} (${model.materialization.type}) depends on: ${model.dependsOn.join(', ') || 'sources only'}\n${model.sql};\n\n`,
      );
    }
    stderr.write(`dry run: ${selected.size} models compiled, no database touched\n`);
    return exitCodes.success;
  }
  const targetDir = fromRoot(command.output.targetDir ?? 'target');
  const logger = createLogger({
    level: config.logLevel,
    file: command.output.logFile === undefined ? undefined : fromRoot(command.output.logFile),
  });
  const resources = await openResources({
    config,
    needs: 'warehouse',
    logger,
    announce: (line) => stderr.write(`using ${line}\n`),
  });
  try {
    const result = await buildModels(createKysely(resources.warehouse), {
      models,
      select: command.select,
      fullRefresh: command.fullRefresh,
      forceFullRefresh: command.forceFullRefresh,
      validateOnly: command.validate,
      ...(command.rebuildUpToDate
        ? {}
        : { sourceVersions: await readSourceVersions(resources.warehouse) }),
      artifactsDir: join(targetDir, 'models'),
      signal: context.signal,
      logger,
    });
    // Off a terminal stdout carries the JSON logs: the human summary goes to stderr.
    (stdout.isTTY ? stdout : stderr).write(renderBuildSummary(result));
    return result.status === 'success' ? exitCodes.success : exitCodes.failed;
  } finally {
    await resources.close();
  }
}

/** `models docs`: Markdown, Mermaid lineage and an HTML page of the models, written offline. */
export async function modelsDocsCommand(
  command: ModelsDocsCommand,
  context: CliContext,
): Promise<number> {
  const outDir = fromRoot(command.out ?? 'target/docs');
  const docs = renderModelDocs(compileProject(models));
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'models.md'), docs.markdown);
  await writeFile(join(outDir, 'lineage.mmd'), docs.mermaid);
  await writeFile(join(outDir, 'index.html'), docs.html);
  context.stderr.write(`wrote ${join(outDir, 'models.md')}, lineage.mmd and index.html\n`);
  return exitCodes.success;
}
