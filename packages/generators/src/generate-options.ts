import { z } from 'zod';

import type { Logger } from '@reelhouse/core';

/** The data part of `GenerateOptions`, validated before anything is written. */
export const generateOptionsSchema = z.object({
  outDir: z.string().min(1),
  seed: z.int().min(0).max(0xffff_ffff),
  scale: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a lower-case name like small'),
  users: z.int().min(1).max(50_000_000),
  sessions: z.int().min(0).max(2_000_000_000),
  titles: z.int().min(1).max(1_000_000),
  defectRate: z.number().min(0).max(0.5).optional(),
  days: z.int().min(0).max(3_650).optional(),
  dailySessionShare: z.number().min(0).max(1).optional(),
});

export interface GenerateOptions {
  /** The data-set folder (`<dataDir>/<dataSetFolderName(scale, seed)>`); created if missing. */
  readonly outDir: string;
  readonly seed: number;
  /** Recorded in the manifest; sizes come from `users`, `sessions` and `titles`. */
  readonly scale: string;
  readonly users: number;
  readonly sessions: number;
  readonly titles: number;
  /** Share of data lines given one injected defect (0 or absent: a clean data set). */
  readonly defectRate?: number;
  /** Day batches to write after the base set (`days/<YYYY-MM-DD>/`, see `generateDayBatches`). */
  readonly days?: number;
  /** New sessions a day in those batches, as a share of `sessions` (default 0.004). */
  readonly dailySessionShare?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}
