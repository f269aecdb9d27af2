/**
 * Compact per-user state the session generator needs, in typed arrays (about 22 bytes a user),
 * so a million users cost tens of megabytes and no objects.
 */
export interface UserTable {
  readonly count: number;
  /** Seed of the user ids (`userIdWords`), which are recomputed rather than stored. */
  readonly seed: number;
  readonly signupMs: Float64Array;
  /** Cancellation time, or +Infinity while subscribed. */
  readonly cancelMs: Float64Array;
  /** Index into `plans`. */
  readonly plan: Uint8Array;
  /** Index into the contracts' `countries`. */
  readonly country: Uint8Array;
  /** Index into `deviceTypes`: the device the user watches on most. */
  readonly primaryDevice: Uint8Array;
  /** Relative viewing activity (heavy users watch far more than light ones). */
  readonly activity: Float32Array;
}

/** Allocates an empty table for `count` users. */
export function createUserTable(options: { readonly count: number; readonly seed: number }): UserTable {
  const { count } = options;
  return {
    count,
    seed: options.seed,
    signupMs: new Float64Array(count),
    cancelMs: new Float64Array(count),
    plan: new Uint8Array(count),
    country: new Uint8Array(count),
    primaryDevice: new Uint8Array(count),
    activity: new Float32Array(count),
  };
}
