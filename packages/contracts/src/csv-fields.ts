import { z } from 'zod';

/**
 * Field parsers for CSV text. A CSV cell is always a string; empty means NULL. Timestamps are
 * ISO 8601 in UTC with a `Z` and up to microseconds; booleans are `true`/`false`.
 */
const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

export const csvText = z.string().min(1, 'required');
export const csvOptionalText = z.string().transform((value) => (value === '' ? null : value));
export const csvUuid = z
  .string()
  .regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    'must be a lower-case UUID',
  );
export const csvTimestamp = z
  .string()
  .regex(isoTimestamp, 'must be an ISO 8601 UTC timestamp like 2024-05-01T20:15:00.000Z');
export const csvOptionalTimestamp = z.union([z.literal('').transform(() => null), csvTimestamp]);
export const csvInt = z
  .string()
  .regex(/^-?\d+$/, 'must be an integer')
  .transform(Number);
export const csvOptionalInt = z.union([z.literal('').transform(() => null), csvInt]);
export const csvBoolean = z
  .enum(['true', 'false'], 'must be true or false')
  .transform((value) => value === 'true');
export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case');
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case');
