import { createHash } from 'node:crypto';

/** The key the models derive for natural key parts, computed independently of PostgreSQL. */
export function expectedKey(...parts: readonly (string | number)[]): number {
  return Number.parseInt(createHash('md5').update(parts.join('|')).digest('hex').slice(0, 13), 16);
}

/** A timestamp as the microseconds-since-epoch key part the models use. */
export const micros = (iso: string): number => Date.parse(iso) * 1000;
