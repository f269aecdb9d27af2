export {
  createPostgresTables,
  type CreatePostgresTablesOptions,
} from './create-postgres-tables.ts';
export { loadCsvsToPostgres, type LoadCsvsToPostgresOptions } from './load-csvs-to-postgres.ts';
export {
  createMongoCollections,
  contentCollection,
  contentRejectsCollection,
  type CreateMongoCollectionsOptions,
} from './create-mongo-collections.ts';
export { contentJsonSchema } from './content-json-schema.ts';
export { loadJsonToMongo, type LoadJsonToMongoOptions } from './load-json-to-mongo.ts';
export {
  applyPostgresBatches,
  applyPostgresDayBatch,
  type ApplyPostgresBatchesOptions,
} from './apply-postgres-batches.ts';
export {
  applyMongoBatches,
  applyMongoDayBatch,
  type ApplyMongoBatchesOptions,
} from './apply-mongo-batches.ts';
export {
  appliedBatchesCollection,
  changeCountersCollection,
  contentDeletesCollection,
} from './content-change-markers.ts';
export {
  appliedBatchesTable,
  changeMarkerColumns,
  changeSequence,
  deletesTable,
} from './change-marker-migration.ts';
export { baseBatch, dataSetName } from './source-batches.ts';
