import { describe, expect, it } from 'vitest';

import { userColumns, viewingSessionColumns } from '@reelhouse/contracts';

import { storageProblem } from '../src/storage-problem.ts';
import { compileFastCheck } from '../src/compile-fast-check.ts';
import type { SourceTable } from '../src/source-table.ts';
import { usersTable } from '../src/users-table.ts';
import { viewingSessionsTable } from '../src/viewing-sessions-table.ts';
import { sessionRow, userRow } from './fixtures/source-rows.ts';

// Cells that sit on the edges of the contract's rules: empty, signs, widths, casing, calendars.
const edgeCells = [
  '',
  ' ',
  '0',
  '-1',
  '1',
  '+1',
  '1.0',
  '1e3',
  '99',
  '100',
  '1919',
  '1920',
  '2012',
  '2013',
  '9999',
  '10000',
  '21600',
  '21601',
  '32767',
  '32768',
  '40000',
  '40001',
  '9999999',
  '10000000',
  '120001',
  '2147483647',
  '2147483648',
  '9007199254740992',
  '99999999999999999',
  'true',
  'false',
  'TRUE',
  'US',
  'us',
  'USA',
  'EUR',
  'eur',
  'en-US',
  'en_US',
  'smart_tv',
  'Smart_TV',
  'SD',
  'sd',
  'UHD',
  'completed',
  'cancelled',
  'active',
  'premium',
  'female',
  'organic',
  'mov_1',
  'ep_s1_e1',
  'ser_1',
  '8.12.0',
  '8.12',
  'a@example.com',
  'A@example.com',
  'x',
  'a0000000-0000-4000-8000-000000000001',
  'A0000000-0000-4000-8000-000000000001',
  '2024-05-01T20:15:00Z',
  '2024-05-01T20:15:00.5Z',
  '2024-05-01T20:14:59.999999Z',
  '2024-02-30T00:00:00Z',
  '2024-05-01T24:00:00Z',
  '2024-05-01 20:15:00',
  '2024-05-01T20:15:00.1234567Z',
  '2023-01-15T10:00:00.000Z',
  '2025-01-01T00:00:00.000Z',
];

function assertSound(spec: SourceTable, base: readonly Record<string, string>[]): number {
  const fastCheck = compileFastCheck(spec);
  const names = spec.columns.map((column) => column.name);
  const timeOrdered = new Set(spec.orderedTimestamps.flat());
  let fastAccepted = 0;
  for (const row of base) {
    for (const [column, name] of names.entries()) {
      for (const cell of edgeCells) {
        // Mutate one cell, and for the time-ordered pairs also the partner cell.
        for (const partner of [
          undefined,
          ...names.filter(
            (other) =>
              other !== name &&
              spec.orderedTimestamps.some((pair) => pair.includes(other) && pair.includes(name)),
          ),
        ]) {
          const mutated = {
            ...row,
            [name]: cell,
            ...(partner === undefined ? {} : { [partner]: cell }),
          };
          const cells = names.map((n) => mutated[n] ?? '');
          const verdict = spec.schema.safeParse(mutated);
          if (!fastCheck(cells)) {
            // The table's CHECKs come from the same rules: a cell zod accepts must pass them too.
            // Exceptions the loader rejects itself: cells past the column type, time order (zod compares text).
            const definition = spec.columns.find((c) => c.name === name);
            const unstorable =
              definition !== undefined && storageProblem(definition, cell) !== null;
            if (partner === undefined && !timeOrdered.has(name) && !unstorable)
              expect(
                verdict.success,
                `${names[column]}=${JSON.stringify(cell)} accepted by zod, refused by the rules`,
              ).toBe(false);
            continue;
          }
          fastAccepted += 1;
          expect(
            verdict.success,
            `${names[column]}=${JSON.stringify(cell)} passed the pre-check: ${verdict.error?.message ?? ''}`,
          ).toBe(true);
        }
      }
    }
  }
  return fastAccepted;
}

describe('the fast pre-check compiled from the column rules agrees with the zod contract', () => {
  it('on users rows: never accepts what zod rejects, never refuses a cell zod accepts', () => {
    const base = [1, 2, 3, 4, 5].map((n) => userRow(n));
    expect(assertSound(usersTable, base)).toBeGreaterThan(100);
    expect(compileFastCheck(usersTable)(userColumns.map((c) => userRow(5)[c]))).toBe(true);
  });

  it('on viewing_sessions rows: never accepts what zod rejects, never refuses a cell zod accepts', () => {
    const base = [1, 2, 3].map((n) => sessionRow(n));
    expect(assertSound(viewingSessionsTable, base)).toBeGreaterThan(100);
    expect(
      compileFastCheck(viewingSessionsTable)(viewingSessionColumns.map((c) => sessionRow(1)[c])),
    ).toBe(true);
  });
});
