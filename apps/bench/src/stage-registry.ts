import type { StageName } from './bench-options.ts';
import type { StageModule } from './stage-module.ts';

/**
 * Stage modules, loaded on demand: a child process loads only its own stage's packages, and a
 * stage whose package fails to load is reported as failed without stopping the others.
 */
export const stageModules: Record<StageName, () => Promise<StageModule>> = {
  generate: async () => (await import('./stages/generate.ts')).generateStage,
  load_csv: async () => (await import('./stages/load-csv.ts')).loadCsvStage,
  extract: async () => (await import('./stages/extract.ts')).extractStage,
  transform: async () => (await import('./stages/transform.ts')).transformStage,
  incremental: async () => (await import('./stages/incremental.ts')).incrementalStage,
  daily: async () => (await import('./stages/daily.ts')).dailyStage,
  end_to_end: async () => (await import('./stages/end-to-end.ts')).endToEndStage,
  dashboard: async () => (await import('./stages/dashboard.ts')).dashboardStage,
};
