export { createPostgresTables, type CreatePostgresTablesOptions } from './create-postgres-tables.ts';
export { loadCsvsToPostgres, type LoadCsvsToPostgresOptions } from './load-csvs-to-postgres.ts';
