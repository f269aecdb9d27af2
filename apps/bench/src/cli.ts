/**
 * `pnpm bench [--sessions 1000000|10000000] [--stage name ...] [--runs 3] [--no-warmup] [--profile] [--name label]`:
 * generates the data set once, then measures every stage against its baselines on the same files and
 * databases, and writes `bench/results/latest.{md,json}`.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadConfig } from '@reelhouse/config';
import { ReelhouseError } from '@reelhouse/core';

import type { BenchContext, BenchPaths } from './bench-context.ts';
import { createBenchDatabases } from './bench-databases.ts';
import { benchHelp, parseBenchArgs, type StageName } from './bench-options.ts';
import type { BenchReport, StageResult } from './bench-report.ts';
import { evaluateStage } from './bench-result.ts';
import { dataSetDir, dataSetSize, readDataSet, type DataSet } from './data-set.ts';
import { enableAutoExplain } from './enable-auto-explain.ts';
import { machineInfo } from './machine-info.ts';
import { runStageChild } from './run-stage-child.ts';
import { stageModules } from './stage-registry.ts';
import { createStderrLogger } from './stderr-logger.ts';
import { writeResults } from './write-results.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function benchPaths(out: string, startedAt: string): BenchPaths {
  const outDir = resolve(repoRoot, out);
  const dataDir = join(outDir, 'data');
  return {
    repoRoot,
    outDir,
    dataDir,
    workDir: join(dataDir, 'work'),
    resultsDir: join(outDir, 'results'),
    profileDir: join(outDir, 'profiles', startedAt.replaceAll(':', '-')),
  };
}

/** The data set for this scale and seed: reused when complete, else generated once (untimed) by the generate stage's child. */
async function ensureDataSet(options: {
  paths: BenchPaths;
  sessions: number;
  seed: number;
  logger: ReturnType<typeof createStderrLogger>;
}): Promise<DataSet> {
  const size = dataSetSize(options.sessions);
  const where = { dataDir: options.paths.dataDir, size, seed: options.seed };
  const existing = readDataSet(where);
  if (existing !== undefined) return existing;
  const outDir = dataSetDir(where);
  options.logger.info({ outDir }, 'generating the data set once');
  rmSync(outDir, { recursive: true, force: true });
  await runStageChild({
    stage: 'generate',
    job: {
      outDir,
      seed: options.seed,
      scale: size.scale,
      users: size.users,
      sessions: size.sessions,
      titles: size.titles,
    },
  });
  const generated = readDataSet(where);
  if (generated === undefined)
    throw new ReelhouseError({
      code: 'internal',
      message: `generation left no complete data set in ${outDir}`,
    });
  return generated;
}

async function main(rawArgv: readonly string[]): Promise<void> {
  const argv = rawArgv[0] === '--' ? rawArgv.slice(1) : rawArgv;
  const help = benchHelp(argv);
  if (help !== undefined) {
    process.stdout.write(help);
    return;
  }
  const options = parseBenchArgs(argv);
  const logger = createStderrLogger({}, 'info');
  if (!existsSync('/usr/bin/time')) {
    throw new ReelhouseError({
      code: 'service_unavailable',
      message: 'GNU time is missing: apt-get install -y time',
    });
  }
  const startedAt = new Date().toISOString();
  const paths = benchPaths(options.out, startedAt);
  mkdirSync(paths.workDir, { recursive: true });
  // eslint-disable-next-line no-restricted-properties -- PATH locates executables (FerretDB), it is not configuration
  const path = process.env['PATH'];
  const databases = await createBenchDatabases({
    config: loadConfig(),
    path,
    prefix: options.dbPrefix,
    logger,
    reuse: options.reuse,
  });
  if (options.explain) {
    await enableAutoExplain({
      url: databases.warehouse,
      minDurationMs: 500,
      prefix: options.dbPrefix,
    });
    logger.info(
      { database: databases.warehouse },
      'auto_explain on: plans of statements over 500 ms go to the PostgreSQL server log',
    );
  }
  const stopOnSignal = () => void databases.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const dataSet = await ensureDataSet({
      paths,
      sessions: options.sessions,
      seed: options.seed,
      logger,
    });
    const finished = new Map<StageName, StageResult>();
    const done = new Map<string, Promise<void>>();
    const context: BenchContext = {
      options,
      paths,
      dataSet,
      databases,
      logger,
      finished,
      once: (key, work) => {
        const pending = done.get(key) ?? work();
        done.set(key, pending);
        return pending;
      },
    };
    const failures: BenchReport['failures'] = [];
    const machine = await machineInfo({
      postgresUrl: databases.warehouse,
      mongoUrl: databases.mongoUrl,
    });
    const report = (): BenchReport => ({
      schemaVersion: 1,
      startedAt,
      finishedAt: new Date().toISOString(),
      sessions: options.sessions,
      runs: options.runs,
      warmup: options.warmup,
      machine,
      dataSet: {
        folder: dataSet.dir.slice(paths.dataDir.length + 1),
        counts: { ...dataSet.manifest.counts },
        bytes: dataSet.bytes,
      },
      stages: [...finished.values()],
      failures: [...failures],
    });
    for (const name of options.stage) {
      logger.info({ stage: name }, `stage ${name}`);
      try {
        const module = await stageModules[name]();
        finished.set(name, evaluateStage(await module.run(context)));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger.error({ stage: name }, `stage ${name} failed: ${message}`);
        failures.push({ stage: name, error: message });
      }
      // Written after every stage, so an interrupted run keeps what it measured.
      writeResults({ resultsDir: paths.resultsDir, report: report(), name: options.name });
    }
    process.stdout.write(
      writeResults({ resultsDir: paths.resultsDir, report: report(), name: options.name }),
    );
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await databases.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
