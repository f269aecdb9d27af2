import { countryByCode } from './countries.ts';
import { dataFiles } from './data-files.ts';

/**
 * Rules for values the contract's shapes admit but no real source would hold. Each is named, has
 * its own reject reason (the name is the reject code) and is applied as `reject`, `warn` or `accept`.
 */
export const plausibilityRuleNames = [
  'future_timestamp',
  'unknown_country',
  'out_of_range_value',
] as const;
export type PlausibilityRuleName = (typeof plausibilityRuleNames)[number];

/** `reject` quarantines the record, `warn` loads it and counts it, `accept` skips the rule. */
export const plausibilityActions = ['reject', 'warn', 'accept'] as const;
export type PlausibilityAction = (typeof plausibilityActions)[number];

/** How the rules are applied: one action per rule, and how far ahead of now a timestamp may be. */
export interface PlausibilityPolicy {
  readonly actions: Readonly<Record<PlausibilityRuleName, PlausibilityAction>>;
  readonly futureToleranceHours: number;
}

export const defaultPlausibilityPolicy: PlausibilityPolicy = Object.freeze({
  actions: Object.freeze({
    future_timestamp: 'reject',
    unknown_country: 'reject',
    out_of_range_value: 'reject',
  }),
  futureToleranceHours: 24,
});

/** The earliest plausible value of each kind of date: the service and the cinema did not exist before. */
export const earliestPlausible = {
  /** Accounts, sessions and catalogue edits. */
  timestamp: '2000-01-01T00:00:00Z',
  /** Releases of films and episodes. */
  releaseDate: '1900-01-01',
} as const;

type SourceFile =
  typeof dataFiles.users | typeof dataFiles.viewingSessions | typeof dataFiles.content;

/**
 * The fields each rule reads, per file. Paths use `*` for every element of an array. Countries are
 * the service's own markets (`countries`), so only user and session countries are checked: a film
 * may be produced anywhere.
 */
export const plausibilityFields: Readonly<
  Record<SourceFile, Readonly<Record<PlausibilityRuleName, readonly string[]>>>
> = {
  [dataFiles.users]: {
    future_timestamp: ['signup_ts', 'cancelled_at', 'updated_at'],
    unknown_country: ['country_code'],
    out_of_range_value: ['signup_ts', 'cancelled_at', 'updated_at'],
  },
  [dataFiles.viewingSessions]: {
    future_timestamp: ['started_at', 'ended_at', 'updated_at'],
    unknown_country: ['country_code'],
    out_of_range_value: ['started_at', 'ended_at', 'updated_at'],
  },
  [dataFiles.content]: {
    future_timestamp: ['updated_at'],
    unknown_country: [],
    out_of_range_value: [
      'release_date',
      'seasons.*.release_date',
      'seasons.*.episodes.*.release_date',
      'updated_at',
    ],
  },
};

/** One broken rule: which, where, and why in words. */
export interface PlausibilityViolation {
  readonly rule: PlausibilityRuleName;
  readonly field: string;
  readonly reason: string;
}

/** The latest plausible timestamp at `now` under `policy`, as `YYYY-MM-DDTHH:MM:SS` (compare ISO text with it). */
export function latestPlausibleTimestamp(policy: PlausibilityPolicy, now: Date): string {
  return new Date(now.getTime() + policy.futureToleranceHours * 3_600_000)
    .toISOString()
    .slice(0, 19);
}

/** True when an ISO date or timestamp lies after `latest` (`YYYY-MM-DDTHH:MM:SS`). Fractions of its last second count as inside. */
export function isAfter(text: string, latest: string): boolean {
  return text.slice(0, 19) > latest;
}

function valuesAt(record: unknown, path: readonly string[]): string[] {
  if (path.length === 0) return typeof record === 'string' && record !== '' ? [record] : [];
  const [head, ...rest] = path;
  if (head === '*')
    return Array.isArray(record) ? record.flatMap((item) => valuesAt(item, rest)) : [];
  if (typeof record !== 'object' || record === null || head === undefined) return [];
  return valuesAt((record as Record<string, unknown>)[head], rest);
}

/**
 * Applies the rules not set to `accept` to one record of `file` (CSV cells by column name, or a
 * content document) and returns every violation, for the loader to reject or warn on.
 */
export function checkPlausibility(options: {
  readonly file: SourceFile;
  readonly record: unknown;
  readonly policy: PlausibilityPolicy;
  readonly now: Date;
}): PlausibilityViolation[] {
  const { policy } = options;
  const fields = plausibilityFields[options.file];
  const latest = latestPlausibleTimestamp(policy, options.now);
  const violations: PlausibilityViolation[] = [];
  const each = (
    rule: PlausibilityRuleName,
    test: (value: string, field: string) => string | null,
  ) => {
    if (policy.actions[rule] === 'accept') return;
    for (const field of fields[rule]) {
      for (const value of valuesAt(options.record, field.split('.'))) {
        const reason = test(value, field);
        if (reason !== null) violations.push({ rule, field, reason: `${field}: ${reason}` });
      }
    }
  };
  each('future_timestamp', (value) =>
    isAfter(value, latest)
      ? `${value} is in the future (later than ${latest}Z, now plus ${policy.futureToleranceHours} h)`
      : null,
  );
  each('unknown_country', (value) =>
    countryByCode.has(value) ? null : `${value} is not a country the service operates in`,
  );
  each('out_of_range_value', (value, field) => {
    const earliest = field.endsWith('release_date')
      ? earliestPlausible.releaseDate
      : earliestPlausible.timestamp;
    return value < earliest ? `${value} is before ${earliest}, out of the plausible range` : null;
  });
  return violations;
}
