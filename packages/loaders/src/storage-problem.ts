import { isCalendarTimestamp } from './column-rule.ts';
import type { SourceColumn, SourceColumnType } from './source-table.ts';

const integerLimits: Partial<Record<SourceColumnType, number>> = { smallint: 32_767, integer: 2_147_483_647, bigint: Number.MAX_SAFE_INTEGER };

/** `2024-05-01T20:15:00.5Z` → `2024-05-01T20:15:00.500000`: text that sorts like the instant it names. */
export function comparableTimestamp(text: string): string {
  const dot = text.indexOf('.', 19);
  const fraction = dot === -1 ? '' : text.slice(dot + 1, -1);
  return `${text.slice(0, 19)}.${fraction.padEnd(6, '0')}`;
}

/**
 * Why a contract-valid cell would still not fit its PostgreSQL column (an integer past the
 * type's range, a 31st of February), or `null`: such a row must be quarantined, not fail COPY.
 */
export function storageProblem(column: SourceColumn, text: string): string | null {
  if (text === '') return null;
  const limit = integerLimits[column.type];
  if (limit !== undefined) return Math.abs(Number(text)) > limit ? `out of range for ${column.type}` : null;
  if (column.type === 'timestamptz') return isCalendarTimestamp(text) ? null : 'not a calendar date and time';
  return null;
}
