const dayMs = 86_400_000;
const twoDigits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const threeDigits = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

// Date parts by day number; a data set spans a few thousand days at most.
const datePrefixes = new Map<number, string>();

function datePrefix(day: number): string {
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    if (datePrefixes.size > 100_000) datePrefixes.clear();
    prefix = new Date(day * dayMs).toISOString().slice(0, 11);
    datePrefixes.set(day, prefix);
  }
  return prefix;
}

/**
 * Formats epoch milliseconds as `2024-05-01T20:15:00.123Z`, the same text as
 * `Date#toISOString` for years 0000-9999, several times faster by caching the date part.
 */
export function isoTimestamp(epochMs: number): string {
  const ms = Math.floor(epochMs);
  const day = Math.floor(ms / dayMs);
  let rest = ms - day * dayMs;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${datePrefix(day)}${twoDigits[hours]}:${twoDigits[minutes]}:${twoDigits[seconds]}.${threeDigits[millis]}Z`;
}

/** Formats epoch milliseconds as a calendar date `2024-05-01` (UTC). */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
