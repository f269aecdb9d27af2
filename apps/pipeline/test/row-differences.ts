/** What one side has that the other lacks, duplicates counted, at most `shown` rows of each. */
export interface RowDifferences {
  readonly onlyLeft: readonly string[];
  readonly onlyRight: readonly string[];
  readonly counts: readonly [number, number];
}

/** Multiset difference of two lists of rows as text (EXCEPT ALL both ways, in Node). */
export function rowDifferences(
  left: readonly string[],
  right: readonly string[],
  shown = 8,
): RowDifferences | undefined {
  const remaining = new Map<string, number>();
  for (const row of right) remaining.set(row, (remaining.get(row) ?? 0) + 1);
  const onlyLeft: string[] = [];
  for (const row of left) {
    const n = remaining.get(row) ?? 0;
    if (n > 0) remaining.set(row, n - 1);
    else onlyLeft.push(row);
  }
  const onlyRight = [...remaining].flatMap(([row, n]) => Array.from({ length: n }, () => row));
  if (onlyLeft.length === 0 && onlyRight.length === 0) return undefined;
  return {
    onlyLeft: onlyLeft.sort().slice(0, shown),
    onlyRight: onlyRight.sort().slice(0, shown),
    counts: [onlyLeft.length, onlyRight.length],
  };
}
