import {
  checkPlausibility,
  isAfter,
  countryByCode,
  earliestPlausible,
  latestPlausibleTimestamp,
  plausibilityFields,
  type PlausibilityPolicy,
  type PlausibilityRuleName,
  type PlausibilityViolation,
} from '@reelhouse/contracts';

type PlausibilityFile = keyof typeof plausibilityFields;

/** What the gate decided for one record: the violation that rejects it, or the ones it only warns about. */
export interface PlausibilityVerdict {
  readonly reject: PlausibilityViolation | null;
  readonly warnings: readonly PlausibilityViolation[];
}

/** Records that broke a `warn` rule but were loaded: how many per rule, and the first positions. */
export class PlausibilityWarnings {
  readonly counts = new Map<PlausibilityRuleName, number>();
  readonly #first = new Map<PlausibilityRuleName, number[]>();

  add(violations: readonly PlausibilityViolation[], position: number): void {
    for (const rule of new Set(violations.map((violation) => violation.rule))) {
      this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
      const first = this.#first.get(rule) ?? [];
      if (first.length < 5) first.push(position);
      this.#first.set(rule, first);
    }
  }

  /** One line per rule, e.g. `users.csv: 3 records break unknown_country (warn only), first at line 4, 9, 12`. */
  describe(file: string, unit: string): string[] {
    return [...this.counts].map(
      ([rule, count]) =>
        `${file}: ${count} records break ${rule} (warn only, loaded), first at ${unit} ${(this.#first.get(rule) ?? []).join(', ')}`,
    );
  }
}

/** Splits a record's violations by the policy: the first `reject` one decides, `warn` ones are kept. */
export function plausibilityVerdict(options: {
  file: PlausibilityFile;
  record: unknown;
  policy: PlausibilityPolicy;
  now: Date;
}): PlausibilityVerdict {
  const violations = checkPlausibility(options);
  const reject = violations.find((v) => options.policy.actions[v.rule] === 'reject') ?? null;
  return {
    reject,
    warnings:
      reject === null ? violations.filter((v) => options.policy.actions[v.rule] === 'warn') : [],
  };
}

/**
 * The plausibility rules over CSV cells compiled to plain comparisons for the fast path: `false`
 * only when some applied rule may be broken (the slow path then explains with `plausibilityVerdict`).
 */
export function compilePlausibility(options: {
  file: PlausibilityFile;
  columns: readonly string[];
  policy: PlausibilityPolicy;
  now: Date;
}): (cells: readonly string[]) => boolean {
  const { policy } = options;
  const fields = plausibilityFields[options.file];
  const latest = latestPlausibleTimestamp(policy, options.now);
  const tests: { index: number; holds: (text: string) => boolean }[] = [];
  const add = (rule: PlausibilityRuleName, holds: (text: string) => boolean) => {
    if (policy.actions[rule] === 'accept') return;
    for (const field of fields[rule])
      tests.push({
        index: options.columns.indexOf(field),
        holds: (text) => text === '' || holds(text),
      });
  };
  add('future_timestamp', (text) => text <= latest || !isAfter(text, latest));
  add('unknown_country', (text) => countryByCode.has(text));
  add('out_of_range_value', (text) => text >= earliestPlausible.timestamp);
  if (tests.length === 0) return () => true;
  return (cells) => {
    for (const test of tests) if (!test.holds(cells[test.index] ?? '')) return false;
    return true;
  };
}
