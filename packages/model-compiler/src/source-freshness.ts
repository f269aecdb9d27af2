import { sql } from 'kysely';
import { z } from 'zod';

import { classifyError, ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';

const periodSeconds = { minute: 60, hour: 3_600, day: 86_400 } as const;

/** dbt's `warn_after` / `error_after`: `{ count: 12, period: 'hour' }`. */
export const freshnessThresholdSchema = z.object({
  count: z.number().int().positive(),
  period: z.enum(['minute', 'hour', 'day']),
});

/** One source's freshness rule: its newest `loadedAtColumn` must be younger than the thresholds. */
export const sourceFreshnessSchema = z
  .object({
    /** Schema-qualified relation, e.g. `raw.users`. */
    source: z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be schema.table'),
    loadedAtColumn: z.string().min(1),
    warnAfter: freshnessThresholdSchema.optional(),
    errorAfter: freshnessThresholdSchema.optional(),
  })
  .refine((rule) => rule.warnAfter !== undefined || rule.errorAfter !== undefined, {
    message: 'give warnAfter, errorAfter or both',
  });

export type SourceFreshness = z.infer<typeof sourceFreshnessSchema>;

/** dbt's freshness statuses; `runtime error` when the source cannot be read. */
export interface FreshnessResult {
  readonly source: string;
  readonly status: 'pass' | 'warn' | 'error' | 'runtime error';
  /** The newest load time found, null for an empty source. */
  readonly maxLoadedAt: string | null;
  /** Seconds between it and `now`; null for an empty source (which is `error`, or `warn` without errorAfter). */
  readonly ageSeconds: number | null;
  readonly message?: string;
}

/**
 * dbt's `source freshness`: the age of each source's newest row against its warn and error
 * thresholds. Rules are checked by zod first (an `invalid_input` error names the bad field).
 *
 * @example
 * await checkSourceFreshness(db, { rules: [{ source: 'raw.users', loadedAtColumn: '_extracted_at', errorAfter: { count: 1, period: 'day' } }] });
 */
export async function checkSourceFreshness(
  db: AnyKysely,
  options: { readonly rules: readonly unknown[]; readonly now?: Date },
): Promise<readonly FreshnessResult[]> {
  const parsed = z.array(sourceFreshnessSchema).safeParse(options.rules);
  if (!parsed.success)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `source freshness rules: ${parsed.error.issues.map((issue) => `rule ${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    });
  const rules = parsed.data;
  const now = options.now ?? new Date();
  const results: FreshnessResult[] = [];
  for (const rule of rules) {
    try {
      const { rows } = await sql<{
        newest: Date | null;
      }>`select max(${sql.ref(rule.loadedAtColumn)}) as "newest" from ${sql.table(rule.source)}`.execute(
        db,
      );
      const newest = rows[0]?.newest ?? null;
      const age =
        newest === null ? null : Math.max(0, Math.round((now.getTime() - newest.getTime()) / 1000));
      const exceeds = (threshold: SourceFreshness['warnAfter']) =>
        threshold !== undefined &&
        (age === null || age > threshold.count * periodSeconds[threshold.period]);
      results.push({
        source: rule.source,
        status: exceeds(rule.errorAfter) ? 'error' : exceeds(rule.warnAfter) ? 'warn' : 'pass',
        maxLoadedAt: newest?.toISOString() ?? null,
        ageSeconds: age,
      });
    } catch (error) {
      const classified = classifyError(error, { source: rule.source });
      results.push({
        source: rule.source,
        status: 'runtime error',
        maxLoadedAt: null,
        ageSeconds: null,
        message: classified.message,
      });
    }
  }
  return results;
}
