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
