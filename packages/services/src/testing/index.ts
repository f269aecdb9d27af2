export { setup } from './global-setup.ts';
export {
  usePostgresDatabase,
  useMongoDatabase,
  type TestPostgres,
  type TestMongo,
} from './test-databases.ts';
