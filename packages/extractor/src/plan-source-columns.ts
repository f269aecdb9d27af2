import { ReelhouseError } from '@reelhouse/core';

import { sourceMarkerColumns, type PostgresStream } from './postgres-stream.ts';
import type { CatalogColumn } from './table-columns.ts';

/** Which columns a PostgreSQL stream copies, which `raw` must gain first, and whether binary COPY fits. */
export interface ColumnPlan {
  /** Source columns in source order: all of them are copied, new ones included. */
  readonly columns: readonly CatalogColumn[];
  /** Source columns `raw` does not have yet: added to the raw table (same type) in the load's transaction. */
  readonly added: readonly CatalogColumn[];
  /** Binary COPY needs identical types on both sides; otherwise text COPY casts on the way in. */
  readonly binary: boolean;
  readonly warnings: readonly string[];
}

const metadataColumns = new Set(['_load_id', '_extracted_at', '_change_seq', '_changed_at']);
const markerNames = new Set<string>(sourceMarkerColumns);

/**
 * Compares the source table with the expected columns and the raw table. A new source column is
 * kept (added to raw, loaded, reported); a missing expected column fails the stream, naming it.
 */
export function planSourceColumns(
  spec: PostgresStream,
  everything: { source: readonly CatalogColumn[]; raw: readonly CatalogColumn[] },
): ColumnPlan {
  const present = new Set(everything.source.map((column) => column.name));
  const lacking = sourceMarkerColumns.filter((name) => !present.has(name));
  if (lacking.length > 0) {
    throw new ReelhouseError({
      code: 'contract_violation',
      message: `stream ${spec.stream}: source table ${spec.sourceTable} has no change marker column(s) ${lacking.join(', ')}; run create_postgres_tables to migrate the source`,
      context: { stream: spec.stream, table: spec.sourceTable, missingColumns: lacking },
    });
  }
  // The markers are copied as metadata; the plan covers the data columns.
  const catalog = {
    source: everything.source.filter((column) => !markerNames.has(column.name)),
    raw: everything.raw,
  };
  const sourceNames = new Set(catalog.source.map((column) => column.name));
  const missing = spec.columns
    .filter((column) => !sourceNames.has(column.name))
    .map((column) => column.name);
  if (missing.length > 0) {
    throw new ReelhouseError({
      code: 'contract_violation',
      message: `stream ${spec.stream}: source table ${spec.sourceTable} lacks column(s) ${missing.join(', ')} that raw expects`,
      context: { stream: spec.stream, table: spec.sourceTable, missingColumns: missing },
    });
  }
  const clash = catalog.source
    .filter((column) => metadataColumns.has(column.name))
    .map((column) => column.name);
  if (clash.length > 0) {
    throw new ReelhouseError({
      code: 'contract_violation',
      message: `stream ${spec.stream}: source column(s) ${clash.join(', ')} collide with raw's load metadata`,
      context: { stream: spec.stream, table: spec.sourceTable, columns: clash },
    });
  }
  const rawTypes = new Map(catalog.raw.map((column) => [column.name, column.type]));
  const expected = new Set(spec.columns.map((column) => column.name));
  const added = catalog.source.filter((column) => !rawTypes.has(column.name));
  const unknown = catalog.source.filter((column) => !expected.has(column.name));
  const warnings = unknown.map((column) =>
    rawTypes.has(column.name)
      ? `stream ${spec.stream}: source column ${spec.sourceTable}.${column.name} (${column.type}) is not in the contract; loaded into ${spec.rawTable}.${column.name}`
      : `stream ${spec.stream}: new source column ${spec.sourceTable}.${column.name} (${column.type}) added to ${spec.rawTable} and loaded`,
  );
  const gone = catalog.raw.filter(
    (column) => !sourceNames.has(column.name) && !metadataColumns.has(column.name),
  );
  for (const column of gone) {
    warnings.push(
      `stream ${spec.stream}: column ${spec.rawTable}.${column.name} is no longer in ${spec.sourceTable}; no longer loaded (null in rows inserted from now on)`,
    );
  }
  const retyped = catalog.source.filter(
    (column) => (rawTypes.get(column.name) ?? column.type) !== column.type,
  );
  for (const column of retyped) {
    warnings.push(
      `stream ${spec.stream}: source column ${spec.sourceTable}.${column.name} is ${column.type} but ${spec.rawTable}.${column.name} is ${rawTypes.get(column.name) ?? ''}; copied as text and cast`,
    );
  }
  const binary = retyped.length === 0;
  return { columns: catalog.source, added, binary, warnings };
}
