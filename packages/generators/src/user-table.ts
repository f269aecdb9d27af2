/**
 * Compact per-user state the session generator needs: one 32-byte record per user in a single
 * Float64Array (sign-up, cancellation, activity, packed plan/country/device), so a session's
 * random pick of a user touches one cache line, and a million users cost 32 MB and no objects.
 */
export interface UserTable {
  readonly count: number;
  /** Seed of the user ids (`userIdWords`), which are recomputed rather than stored. */
  readonly seed: number;
  /** `userStride` numbers per user, at the `user…` offsets below. */
  readonly records: Float64Array;
}

export const userStride = 4;
/** Sign-up time (epoch ms). */
export const userSignup = 0;
/** Cancellation time (epoch ms), or +Infinity while subscribed. */
export const userCancel = 1;
/** Relative viewing activity (heavy users watch far more than light ones). */
export const userActivity = 2;
/** Plan index + 4 x country index + 256 x primary device index. */
export const userMeta = 3;

/** Allocates an empty table for `count` users. */
export function createUserTable(options: {
  readonly count: number;
  readonly seed: number;
}): UserTable {
  return {
    count: options.count,
    seed: options.seed,
    records: new Float64Array(options.count * userStride),
  };
}

/** Packs the small indices of a user into one number. */
export function packUserMeta(indices: {
  readonly plan: number;
  readonly country: number;
  readonly device: number;
}): number {
  // Two bits of plan and six of country: a longer country list needs a wider layout.
  if (indices.plan > 3 || indices.country > 63)
    throw new RangeError(
      `plan ${indices.plan} or country ${indices.country} does not fit the user record`,
    );
  return indices.plan + 4 * indices.country + 256 * indices.device;
}

/** Index into `plans`. */
export function metaPlan(meta: number): number {
  return meta & 3;
}

/** Index into the contracts' `countries`. */
export function metaCountry(meta: number): number {
  return (meta >> 2) & 63;
}

/** Index into `deviceTypes`: the device the user watches on most. */
export function metaDevice(meta: number): number {
  return meta >> 8;
}
