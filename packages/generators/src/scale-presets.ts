/** A data-set size: users, viewing sessions and catalogue titles (movies plus series). */
export interface ScaleSize {
  readonly users: number;
  readonly sessions: number;
  readonly titles: number;
}

export type ScaleName = 'tiny' | 'small' | 'medium' | 'large';

/** The named sizes the pipeline CLI offers with `--scale`. */
export const scalePresets: Readonly<Record<ScaleName, ScaleSize>> = Object.freeze({
  tiny: Object.freeze({ users: 1_000, sessions: 10_000, titles: 200 }),
  small: Object.freeze({ users: 20_000, sessions: 500_000, titles: 2_000 }),
  medium: Object.freeze({ users: 100_000, sessions: 1_000_000, titles: 5_000 }),
  large: Object.freeze({ users: 1_000_000, sessions: 10_000_000, titles: 20_000 }),
});
