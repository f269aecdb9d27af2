import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the engine runs SQL text over any warehouse schema
export type AnyKysely = Kysely<any>;
