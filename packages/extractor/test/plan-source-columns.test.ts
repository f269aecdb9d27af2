import { describe, expect, it } from 'vitest';

import { planSourceColumns } from '../src/plan-source-columns.ts';
import { usersStream } from '../src/postgres-stream.ts';

const contractColumns = usersStream.columns.map((column) => ({
  name: column.name,
  type: column.type,
}));

const markerColumns = [
  { name: '_change_seq', type: 'bigint' },
  { name: '_changed_at', type: 'timestamp with time zone' },
  { name: '_change_xid', type: 'xid8' },
];

/** A source as the loaders create it carries the change markers after the data columns. */
function planWithMarkers(catalog: {
  source: readonly { name: string; type: string }[];
  raw: readonly { name: string; type: string }[];
}) {
  return planSourceColumns(usersStream, {
    source: [...catalog.source, ...markerColumns],
    raw: catalog.raw,
  });
}

describe('planSourceColumns: schema drift of a PostgreSQL source', () => {
  it('refuses a source without change markers, naming them', () => {
    expect(() =>
      planSourceColumns(usersStream, { source: contractColumns, raw: contractColumns }),
    ).toThrow(/no change marker column\(s\) _change_seq, _changed_at, _change_xid/);
  });

  it('copies in binary when source and raw agree', () => {
    expect(planWithMarkers({ source: contractColumns, raw: contractColumns })).toEqual({
      columns: contractColumns,
      added: [],
      binary: true,
      warnings: [],
    });
  });

  it('adds a new source column to raw and says so', () => {
    const source = [...contractColumns, { name: 'referrer', type: 'text' }];

    const plan = planWithMarkers({ source, raw: contractColumns });

    expect(plan.added).toEqual([{ name: 'referrer', type: 'text' }]);
    expect(plan.warnings).toEqual([
      'stream users: new source column public.users.referrer (text) added to raw.users and loaded',
    ]);
  });

  it('falls back to text COPY when a type changed, and says so', () => {
    const source = contractColumns.map((column) =>
      column.name === 'birth_year' ? { ...column, type: 'integer' } : column,
    );

    const plan = planWithMarkers({ source, raw: contractColumns });

    expect(plan.binary).toBe(false);
    expect(plan.warnings).toEqual([
      'stream users: source column public.users.birth_year is integer but raw.users.birth_year is smallint; copied as text and cast',
    ]);
  });

  it('reports a column raw gained by drift that the source dropped again', () => {
    const raw = [
      ...contractColumns,
      { name: 'referrer', type: 'text' },
      { name: '_load_id', type: 'uuid' },
    ];

    const plan = planWithMarkers({ source: contractColumns, raw });

    expect(plan.columns).toEqual(contractColumns);
    expect(plan.warnings).toEqual([
      'stream users: column raw.users.referrer is no longer in public.users; no longer loaded (null in rows inserted from now on)',
    ]);
  });

  it('fails naming the columns the source lost', () => {
    const source = contractColumns.filter(
      (column) => column.name !== 'email' && column.name !== 'plan',
    );

    expect(() => planWithMarkers({ source, raw: contractColumns })).toThrow(
      'stream users: source table public.users lacks column(s) email, plan that raw expects',
    );
  });
});
