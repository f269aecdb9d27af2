export { generateDataSet, type GenerateReport } from './generate-data-set.ts';
export { generateOptionsSchema, type GenerateOptions } from './generate-options.ts';
export { scalePresets, type ScaleName, type ScaleSize } from './scale-presets.ts';
export { generatorVersion } from './generator-version.ts';
