/** PostgreSQL column types a model contract may declare (emitted as DDL, checked against the catalog). */
export type SqlType =
  | 'text'
  | 'boolean'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'double precision'
  | 'numeric'
  | 'date'
  | 'timestamptz'
  | 'jsonb'
  | 'text[]';
