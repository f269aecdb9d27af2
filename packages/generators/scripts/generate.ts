// Manual run: `pnpm exec tsx scripts/generate.ts <outDir> <users> <sessions> <titles> [defectRate]`.
import type { Logger } from '@reelhouse/core';

import { generateDataSet } from '../src/index.ts';

const [
  outDir = '/tmp/reelhouse-gen',
  users = '5000',
  sessions = '50000',
  titles = '500',
  defectRate = '0',
] = process.argv.slice(2);
const t0 = performance.now();
const write = (fields: object, message: string): void => {
  const memory = process.memoryUsage();
  const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
  const usage = `rss ${mb(memory.rss)} MB, heap ${mb(memory.heapUsed)}/${mb(memory.heapTotal)} MB, array buffers ${mb(memory.arrayBuffers)} MB`;
  process.stdout.write(
    `${Math.round(performance.now() - t0)}ms ${message} ${JSON.stringify(fields)} (${usage})\n`,
  );
};
const logger: Logger = {
  debug: write,
  info: write,
  warn: write,
  error: write,
  child: () => logger,
};
const report = await generateDataSet({
  outDir,
  seed: 42,
  scale: 'manual',
  users: Number(users),
  sessions: Number(sessions),
  titles: Number(titles),
  defectRate: Number(defectRate),
  logger,
});
const memory = process.resourceUsage().maxRSS;
process.stdout.write(
  `${JSON.stringify({ durationMs: Math.round(report.durationMs), maxRssMb: Math.round(memory / 1024), counts: report.manifest.counts })}\n`,
);
