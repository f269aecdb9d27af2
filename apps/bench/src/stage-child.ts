/**
 * Child-process entry: `node --import tsx stage-child.ts <stage> <job.json>`. Runs the stage's
 * Reelhouse side once and prints `{ ms, rows, parts }` as its last stdout line. The time covers the
 * call only (connections included), not Node's start-up and module loading.
 */
import { readFileSync } from 'node:fs';

import { benchOptions } from './bench-options.ts';
import { createStderrLogger } from './stderr-logger.ts';
import { stageModules } from './stage-registry.ts';

const [stageArgument, jobFile] = process.argv.slice(2);
const stage = benchOptions.shape.stage.unwrap().element.parse(stageArgument);
if (jobFile === undefined) throw new Error('usage: stage-child.ts <stage> <job.json>');
const job: unknown = JSON.parse(readFileSync(jobFile, 'utf8'));
const module = await stageModules[stage]();
const logger = createStderrLogger({ stage });
const started = process.hrtime.bigint();
const outcome = await module.child(job, logger);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
// Exit once the line is out: a driver handle left open must not keep the child (and the bench) waiting.
process.stdout.write(`${JSON.stringify({ ms, ...outcome })}\n`, () => process.exit(0));
