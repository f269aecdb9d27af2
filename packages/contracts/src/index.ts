export * from './enums.ts';
export { userColumns, userCsvRow, type User, type UserColumn } from './user.ts';
export {
  viewingSessionColumns,
  viewingSessionCsvRow,
  type ViewingSession,
  type ViewingSessionColumn,
} from './viewing-session.ts';
export {
  castMember,
  crewMember,
  episode,
  season,
  movieDocument,
  seriesDocument,
  contentDocument,
  type CastMember,
  type CrewMember,
  type Episode,
  type Season,
  type MovieDocument,
  type SeriesDocument,
  type ContentDocument,
} from './content.ts';
export {
  dataManifest,
  defectRecord,
  qualityGates,
  type DataManifest,
  type DefectRecord,
  type QualityGate,
} from './manifest.ts';
export { dataFiles, dataSetFolderName } from './data-files.ts';
export { countries, countryByCode, type Country } from './countries.ts';
export {
  plausibilityRuleNames,
  plausibilityActions,
  plausibilityFields,
  defaultPlausibilityPolicy,
  earliestPlausible,
  checkPlausibility,
  latestPlausibleTimestamp,
  isAfter,
  type PlausibilityRuleName,
  type PlausibilityAction,
  type PlausibilityPolicy,
  type PlausibilityViolation,
} from './plausibility.ts';
