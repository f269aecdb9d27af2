import type { SourceFreshness } from '@reelhouse/model-compiler';

/**
 * How fresh each `raw` stream must be (`pnpm models:freshness`, the DAG's `check_source_freshness`):
 * the newest `_extracted_at` of its append-only history, where every version and tombstone the
 * extractor lands is kept (a current table emptied by deletions would read as never loaded),
 * against dbt-style warn and error thresholds. The DAG runs daily, so a day and a half warns and
 * three days fail.
 */
export const sourceFreshness: readonly SourceFreshness[] = [
  'raw.users__history',
  'raw.viewing_sessions__history',
  'raw.content__history',
].map((source) => ({
  source,
  loadedAtColumn: '_extracted_at',
  warnAfter: { count: 36, period: 'hour' },
  errorAfter: { count: 3, period: 'day' },
}));
