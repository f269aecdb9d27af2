import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { dataFiles, type DefectRecord } from '@reelhouse/contracts';

import { corruptDocument, contentDefectClasses } from './content-defects.ts';
import { corruptCsvLine, type CsvDefectSpec } from './csv-defects.ts';
import { defectGates, type DefectClass, type InjectedDefect } from './defect-gates.ts';
import { FileSink, type FileDigest } from './file-sink.ts';
import { Random } from './random.ts';
import { rewriteLines, type LineToRewrite } from './rewrite-lines.ts';
import { sessionDefects } from './session-defects.ts';
import { userDefects } from './user-defects.ts';
import type { SessionCoverage } from './write-sessions.ts';

export interface DefectPassResult {
  readonly files: Readonly<Record<string, FileDigest>>;
  readonly count: number;
  /** Injected defects per `file/defect`, e.g. `users.csv/bom`. */
  readonly byClass: Readonly<Record<string, number>>;
}

type DataFile = DefectRecord['file'];

interface FilePlan {
  readonly file: DataFile;
  readonly classes: readonly DefectClass[];
  /** Whether a physical line may carry a defect. */
  readonly eligible: (line: number) => boolean;
  readonly eligibleLines: number;
  readonly totalLines: number;
  readonly corrupt: (options: {
    readonly random: Random;
    readonly defect: DefectClass;
    readonly line: LineToRewrite;
  }) => InjectedDefect | null;
  readonly position: (line: number) => number;
}

function countZeros(flags: Uint8Array): number {
  let zeros = 0;
  for (const flag of flags) if (flag === 0) zeros++;
  return zeros;
}

function csvPlan(options: {
  readonly file: DataFile;
  readonly spec: CsvDefectSpec;
  readonly rows: number;
  readonly rowHasDependents?: Uint8Array;
}): FilePlan {
  const { spec, rows, rowHasDependents } = options;
  return {
    file: options.file,
    classes: spec.classes,
    // A rejected user would orphan its sessions: only users nobody's sessions point at may break.
    eligible: (line) =>
      line >= 2 && (rowHasDependents === undefined || rowHasDependents[line - 2] === 0),
    eligibleLines: rowHasDependents === undefined ? rows : countZeros(rowHasDependents),
    totalLines: rows,
    corrupt: ({ random, defect, line }) =>
      corruptCsvLine(spec, { random, defect, text: line.text, previousKept: line.previousKept() }),
    position: (line) => line,
  };
}

function contentPlan(titlesWatched: Uint8Array): FilePlan {
  const titles = titlesWatched.length;
  return {
    file: 'content.json',
    classes: contentDefectClasses,
    // Line 1 is `[` and the last line `]`; documents of watched titles stay loadable.
    eligible: (line) => line >= 2 && line <= titles + 1 && titlesWatched[line - 2] === 0,
    eligibleLines: countZeros(titlesWatched),
    totalLines: titles,
    corrupt: ({ random, defect, line }) => {
      const comma = line.text.endsWith(',') ? ',' : '';
      const injected = corruptDocument({
        random,
        defect,
        text: comma === '' ? line.text : line.text.slice(0, -1),
        previousKept: line.previousKept(),
      });
      return injected === null ? null : { ...injected, text: `${injected.text}${comma}` };
    },
    position: (line) => line - 2,
  };
}

async function injectFile(
  plan: FilePlan,
  options: {
    readonly dir: string;
    readonly seed: number;
    readonly defectRate: number;
    readonly defects: FileSink;
    readonly byClass: Record<string, number>;
    readonly signal: AbortSignal | undefined;
  },
): Promise<{ digest: FileDigest; count: number }> {
  const random = new Random(options.seed, `defects:${plan.file}`);
  // The rate applies to all lines of the file, concentrated on the lines allowed to break.
  const probability =
    plan.eligibleLines === 0
      ? 0
      : Math.min(1, (options.defectRate * plan.totalLines) / plan.eligibleLines);
  const clean = join(options.dir, `${plan.file}.partial`);
  const target = join(options.dir, `${plan.file}.defective`);
  const sink = new FileSink(target, options.signal);
  let count = 0;
  try {
    await rewriteLines({
      source: clean,
      sink,
      rewriter: {
        wants: (line) => plan.eligible(line) && random.float() < probability,
        rewrite: (line) => {
          const first = random.int(0, plan.classes.length - 1);
          for (let k = 0; k < plan.classes.length; k++) {
            const defect = plan.classes[(first + k) % plan.classes.length]!;
            const injected = plan.corrupt({ random, defect, line });
            if (injected === null) continue;
            const record: DefectRecord = {
              file: plan.file,
              position: plan.position(line.number),
              key: injected.key,
              field: injected.field,
              defect,
              gate: defectGates[defect],
            };
            // Defect records are written in file order as they are made, so memory stays flat.
            options.defects.append(`${JSON.stringify(record)}\n`);
            count++;
            const name = `${plan.file}/${defect}`;
            options.byClass[name] = (options.byClass[name] ?? 0) + 1;
            return injected.text;
          }
          return null;
        },
      },
    });
    await options.defects.flush();
    const digest = await sink.close();
    await rm(clean);
    await rename(target, clean);
    return { digest, count };
  } catch (error) {
    await sink.destroy();
    await rm(target, { force: true });
    throw error;
  }
}

/**
 * The seeded defect pass: rewrites each clean file through a stream, giving about `defectRate`
 * of its data lines one defect of a class its format allows, and writes the ground truth to
 * `defects.jsonl`. Physical lines are never added or removed, so positions stay exact.
 */
export async function injectDefects(options: {
  readonly dir: string;
  readonly seed: number;
  readonly defectRate: number;
  readonly coverage: SessionCoverage;
  readonly sessions: number;
  readonly signal: AbortSignal | undefined;
}): Promise<DefectPassResult> {
  const { coverage } = options;
  const plans = [
    contentPlan(coverage.titlesWatched),
    csvPlan({
      file: 'users.csv',
      spec: userDefects,
      rows: coverage.usersWatching.length,
      rowHasDependents: coverage.usersWatching,
    }),
    csvPlan({ file: 'viewing_sessions.csv', spec: sessionDefects, rows: options.sessions }),
  ];
  const defects = new FileSink(join(options.dir, `${dataFiles.defects}.partial`), options.signal);
  const files: Record<string, FileDigest> = {};
  const byClass: Record<string, number> = {};
  let count = 0;
  try {
    for (const plan of plans) {
      const result = await injectFile(plan, { ...options, defects, byClass });
      files[plan.file] = result.digest;
      count += result.count;
    }
    files[dataFiles.defects] = await defects.close();
  } catch (error) {
    await defects.destroy();
    throw error;
  }
  return { files, count, byClass };
}
