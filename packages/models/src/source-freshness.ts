import type { SourceFreshness } from '@reelhouse/model-compiler';

/**
 * How fresh each `raw` source must be (`pnpm models:freshness`): the newest `_extracted_at`, set
 * by the extractor on every row it lands, against dbt-style warn and error thresholds. The DAG
 * runs daily, so a day and a half warns and three days fail.
 */
export const sourceFreshness: readonly SourceFreshness[] = [
  'raw.users',
  'raw.viewing_sessions',
  'raw.content',
].map((source) => ({
  source,
  loadedAtColumn: '_extracted_at',
  warnAfter: { count: 36, period: 'hour' },
  errorAfter: { count: 3, period: 'day' },
}));
