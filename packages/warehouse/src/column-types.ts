import type { ColumnType, Generated } from 'kysely';

/** `timestamptz`: read as a Date, written as a Date or ISO text. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date`: read as `YYYY-MM-DD` text (the pool's type parser), so no time zone shifts a day. */
export type DateText = ColumnType<string, string | Date, string | Date>;
/** `bigint`/`numeric`: read as a number (the pool's type parser); analytics values fit a double. */
export type BigIntNumber = ColumnType<number, number | bigint | string, number | bigint | string>;
/** `jsonb`: read parsed, written as JSON text or a value pg serialises. */
export type Json<T = unknown> = ColumnType<T, string | T, string | T>;
export type { Generated };
