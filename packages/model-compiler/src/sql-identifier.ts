/** Quotes a schema-qualified name for SQL text: `trusted.dim_user` → `"trusted"."dim_user"`. */
export function quoteRelation(relation: string): string {
  return relation
    .split('.')
    .map((part) => quoteIdent(part))
    .join('.');
}

/** Quotes one identifier for SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A comma-separated list of quoted identifiers. */
export function quoteIdents(names: readonly string[]): string {
  return names.map((name) => quoteIdent(name)).join(', ');
}
