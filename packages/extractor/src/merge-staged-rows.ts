import pg from 'pg';

export interface MergeCounts {
  readonly inserted: number;
  readonly updated: number;
}

/**
 * Merges a staged batch into a raw table on its key: the batch is deduplicated first (latest
 * `cursorColumn` wins), new keys are inserted, changed rows replaced, identical rows untouched,
 * so rereading rows that share the last cursor value changes nothing.
 */
export async function mergeStagedRows(
  client: pg.ClientBase,
  options: {
    target: string;
    staging: string;
    key: string;
    columns: readonly string[];
    cursorColumn: string;
  },
): Promise<MergeCounts> {
  const { key, columns } = options;
  const quote = pg.escapeIdentifier;
  const written = [...columns, '_load_id', '_extracted_at'].map(quote);
  const compared = columns.filter((name) => name !== key).map(quote);
  const list = written.join(', ');
  const sql = `with batch as (
  select distinct on (${quote(key)}) ${list} from ${options.staging} order by ${quote(key)}, ${quote(options.cursorColumn)} desc
), merged as (
  insert into ${options.target} as target (${list})
  select ${list} from batch
  on conflict (${quote(key)}) do update set ${written
    .filter((name) => name !== quote(key))
    .map((name) => `${name} = excluded.${name}`)
    .join(', ')}
  where (${compared.map((name) => `target.${name}`).join(', ')}) is distinct from (${compared.map((name) => `excluded.${name}`).join(', ')})
  returning (xmax = 0) as inserted
)
select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated from merged`;
  const result = await client.query<MergeCounts>(sql);
  return result.rows[0] ?? { inserted: 0, updated: 0 };
}
