import { isCalendarTimestamp } from './column-rule.ts';
import type { SourceColumn, SourceColumnType } from './source-table.ts';

const integerLimits: Partial<Record<SourceColumnType, number>> = {
  smallint: 32_767,
  integer: 2_147_483_647,
  bigint: Number.MAX_SAFE_INTEGER,
};

/**
 * Why a contract-valid cell would still not fit its PostgreSQL column (an integer past the
 * type's range, a 31st of February), or `null`: such a row must be quarantined, not fail COPY.
 */
export function storageProblem(column: SourceColumn, text: string): string | null {
  if (text === '') return null;
  const limit = integerLimits[column.type];
  if (limit !== undefined)
    return Math.abs(Number(text)) > limit ? `out of range for ${column.type}` : null;
  if (column.type === 'timestamptz')
    return isCalendarTimestamp(text) ? null : 'not a calendar date and time';
  return null;
}
