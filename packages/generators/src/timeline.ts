/**
 * The fixed calendar of every data set: no output depends on the wall clock, so the same seed
 * gives the same bytes on any day.
 */
export const timeline = Object.freeze({
  /** Simulated "now": the manifest's `reference_time`; nothing happens after it. */
  referenceMs: Date.UTC(2025, 6, 1),
  /** Viewing sessions cover the year before the reference time. */
  sessionsFromMs: Date.UTC(2024, 6, 1),
  /** First sign-up of the service. */
  signupsFromMs: Date.UTC(2019, 0, 1),
  /** Oldest release in the catalogue. */
  catalogueFromMs: Date.UTC(1975, 0, 1),
});

export const dayMs = 86_400_000;
export const hourMs = 3_600_000;
