import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ReelhouseError } from '@reelhouse/core';
import { z } from 'zod';

const day = 86_400_000;

/** The days from `from` to `to`, both included, as `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (end < start)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `backfill: --to ${to} is before --from ${from}`,
    });
  const days: string[] = [];
  for (let t = start; t <= end; t += day) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** The day after `date`. */
export const nextDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + day).toISOString().slice(0, 10);

const baseManifestSchema = z.looseObject({ last_day: z.iso.date() });

/** The K days after the base data set's last day, read from its manifest (`last_day`). */
export async function daysAfterBase(dataSetDir: string, count: number): Promise<string[]> {
  const path = join(dataSetDir, 'manifest.json');
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined)
    throw new ReelhouseError({
      code: 'not_found',
      message: `backfill --days: no data set manifest at ${path}: generate it first (pnpm pipeline generate --days K with the same --scale and --seed)`,
      context: { path },
    });
  const parsed = baseManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new ReelhouseError({
      code: 'file_malformed',
      message: `backfill --days: ${path} has no valid last_day (the base data set's last day): regenerate it with pnpm pipeline generate --days K, or give --from and --to`,
      context: { path },
    });
  const first = nextDay(parsed.data.last_day);
  return count === 0
    ? []
    : daysBetween(
        first,
        new Date(Date.parse(`${first}T00:00:00Z`) + (count - 1) * day).toISOString().slice(0, 10),
      );
}
