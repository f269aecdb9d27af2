export { generateDataSet, type GenerateReport } from './generate-data-set.ts';
export { generateOptionsSchema, type GenerateOptions } from './generate-options.ts';
export { scalePresets, type ScaleName, type ScaleSize } from './scale-presets.ts';
export { generatorVersion } from './generator-version.ts';
export {
  generateDayBatches,
  dayAfterBase,
  baseLastDay,
  defaultDailySessionShare,
  type GenerateDayBatchesOptions,
  type DayBatchesReport,
} from './generate-day-batches.ts';
