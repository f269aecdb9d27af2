export { closeKysely } from './close-kysely.ts';
export { createTrustedTables } from './trusted-ddl.ts';
export {
  buildTrustedFixture,
  trustedFixtureRange,
  type TrustedFixture,
} from './trusted-fixture.ts';
export { insertTrustedFixture } from './insert-trusted-fixture.ts';
