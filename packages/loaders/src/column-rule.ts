/**
 * What a source column accepts, as data: the table's CHECK constraint and the loader's fast
 * pre-check are both generated from it, and tests hold it to the zod contract.
 */
export type ColumnRule =
  | { readonly kind: 'uuid' }
  | { readonly kind: 'any' }
  | { readonly kind: 'non_empty' }
  | { readonly kind: 'pattern'; readonly pattern: RegExp }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'boolean' };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const timestampPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const integerPattern = /^-?\d{1,15}$/;
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// Two ASCII digits at `at` as a number (callers have matched the digits already).
function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
}

/** True when an ISO timestamp (already matched by pattern) names a real instant: no 30 February, no hour 24. */
export function isCalendarTimestamp(text: string): boolean {
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && !leap ? 28 : (daysInMonth[month - 1] ?? 0);
  return (
    month >= 1 &&
    day >= 1 &&
    day <= maxDay &&
    twoDigits(text, 11) <= 23 &&
    twoDigits(text, 14) <= 59 &&
    twoDigits(text, 17) <= 59
  );
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The CHECK expression of a rule over `column`, or `null` when the column type says it all. */
export function ruleSql(column: string, rule: ColumnRule): string | null {
  switch (rule.kind) {
    case 'uuid':
    case 'any':
    case 'timestamp':
    case 'boolean':
      return null;
    case 'non_empty':
      return `${column} <> ''`;
    case 'pattern':
      return `${column} ~ ${sqlString(rule.pattern.source)}`;
    case 'enum':
      return `${column} IN (${rule.values.map(sqlString).join(', ')})`;
    case 'int':
      return `${column} BETWEEN ${rule.min} AND ${rule.max}`;
  }
}

/** A predicate over a CSV cell that is true only for text the rule (and so the contract) accepts. */
export function compileRule(rule: ColumnRule, nullable: boolean): (text: string) => boolean {
  const check = ((): ((text: string) => boolean) => {
    switch (rule.kind) {
      case 'uuid':
        return (text) => uuidPattern.test(text);
      case 'any':
        return () => true;
      case 'non_empty':
        return (text) => text !== '';
      case 'pattern':
        return (text) => rule.pattern.test(text);
      case 'enum': {
        const values = new Set(rule.values);
        return (text) => values.has(text);
      }
      case 'int':
        return (text) => {
          if (!integerPattern.test(text)) return false;
          const value = Number(text);
          return value >= rule.min && value <= rule.max;
        };
      case 'timestamp':
        return (text) => timestampPattern.test(text) && isCalendarTimestamp(text);
      case 'boolean':
        return (text) => text === 'true' || text === 'false';
    }
  })();
  return nullable ? (text) => text === '' || check(text) : check;
}
