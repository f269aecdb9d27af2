import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * A non-negative bigint derived from the natural key parts (the first 52 bits of their MD5), so
 * the same entity gets the same key on every rebuild; `-1` stays free for the unknown member.
 * 52 bits keep keys exact as JavaScript numbers; a collision would fail the primary key loudly.
 */
export function surrogateKey(parts: readonly Expression<unknown>[]): RawBuilder<number> {
  const text = sql.join(
    parts.map((part) => sql`coalesce(${part}::text, '')`),
    sql` || '|' || `,
  );
  return sql<number>`('x' || substr(md5(${text}), 1, 13))::bit(52)::bigint`;
}

/** A timestamp as its exact microseconds since the epoch: a time-zone-free key part. */
export function epochMicros(timestamp: Expression<unknown>): RawBuilder<number> {
  return sql<number>`(extract(epoch from ${timestamp}) * 1000000)::bigint`;
}
