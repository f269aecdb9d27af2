import type { Selectable } from 'kysely';

import type { DateText } from '../column-types.ts';

/** `trusted.dim_date`: one row per calendar day; `date_key` is yyyymmdd, `-1` the unknown day. */
export interface DimDateTable {
  date_key: number;
  full_date: DateText | null;
  year: number | null;
  quarter: number | null;
  month: number | null;
  month_name: string | null;
  iso_week: number | null;
  day_of_month: number | null;
  day_of_week: number | null;
  day_name: string | null;
  is_weekend: boolean | null;
}

export type DimDate = Selectable<DimDateTable>;
