// A header longer than this is shown cut, with its full length: it is binary data, not a header.
const maxShownChars = 4_000;

/**
 * Explains how a CSV header differs from the contract's columns: the missing and the extra
 * names, or the first position where the order differs; the found header in full (up to 4,000 chars).
 */
export function describeHeaderMismatch(
  expected: readonly string[],
  found: readonly string[],
): string {
  const missing = expected.filter((name) => !found.includes(name));
  const extra = found.filter((name) => !expected.includes(name));
  const problems: string[] = [];
  if (missing.length > 0)
    problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (extra.length > 0)
    problems.push(
      `extra column${extra.length > 1 ? 's' : ''} ${extra.map((name) => JSON.stringify(name)).join(', ')}`,
    );
  if (problems.length === 0) {
    const at = expected.findIndex((name, index) => found[index] !== name);
    problems.push(
      found.length !== expected.length
        ? `${found.length} columns where ${expected.length} are expected (a name repeated)`
        : `columns out of order: column ${at + 1} is ${found[at] ?? ''}, expected ${expected[at] ?? ''}`,
    );
  }
  const shown = found.join(',');
  const header =
    shown.length > maxShownChars
      ? `${shown.slice(0, maxShownChars)}… (${shown.length} characters in all)`
      : shown;
  return `the header does not match the contract: ${problems.join('; ')}. Expected ${expected.length} columns (${expected.join(',')}), found ${found.length} (${header})`;
}
