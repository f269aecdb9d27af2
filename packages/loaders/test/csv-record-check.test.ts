import { describe, expect, it } from 'vitest';

import { userColumns, viewingSessionColumns } from '@reelhouse/contracts';

import { createCsvRecordCheck } from '../src/create-csv-record-check.ts';
import type { CsvReject } from '../src/csv-reject.ts';
import { KeyFingerprintSet } from '../src/key-fingerprint-set.ts';
import { usersTable } from '../src/users-table.ts';
import { viewingSessionsTable } from '../src/viewing-sessions-table.ts';
import { csvLine, sessionRow, userRow } from './fixtures/source-rows.ts';

const sessionLine = (n: number, overrides: Parameters<typeof sessionRow>[1] = {}) =>
  csvLine(viewingSessionColumns, sessionRow(n, overrides));
const userLine = (n: number, overrides: Parameters<typeof userRow>[1] = {}) =>
  csvLine(userColumns, userRow(n, overrides));

/** A fresh check of `viewing_sessions.csv` lines (no key seen yet) for a file with the given line ending. */
const sessionCheck = (fileEnding: 'lf' | 'crlf') =>
  createCsvRecordCheck(viewingSessionsTable, fileEnding, { keys: new KeyFingerprintSet() });
/** A fresh check of the lines of an LF `users.csv`. */
const userCheck = () => createCsvRecordCheck(usersTable, 'lf', { keys: new KeyFingerprintSet() });

describe('the CSV record check', () => {
  it('accepts contract-valid lines, quoted cells and empty optional cells included', () => {
    const check = userCheck();
    const lines = [1, 2, 3, 4, 5, 7].map((n) => userLine(n));
    expect(lines.some((line) => line.includes('"'))).toBe(true);
    expect(lines.map((line, index) => check(line, index + 2, 'lf'))).toEqual(lines.map(() => null));
  });

  it.each([
    ['extra_column', `${sessionLine(1)},surplus`, 'has 22 fields, expected 21'],
    ['missing_column', sessionLine(1).replace(/,[^,]*$/, ''), 'has 20 fields, expected 21'],
    ['unbalanced_quote', sessionLine(1).replace('tizen', '"tizen'), 'a quote that is never closed'],
    ['stray_quote', sessionLine(1).replace('tizen', 'ti"zen'), 'a quote inside an unquoted field'],
    ['nul_byte', sessionLine(1).replace('tizen', 'ti\0zen'), 'NUL byte'],
    ['bom', `\uFEFF${sessionLine(1)}`, 'byte order mark'],
    ['invalid_utf8', sessionLine(1).replace('tizen', 'ti\uFFFDzen'), 'not valid UTF-8'],
  ])('rejects a %s at the parse gate', (code, line, reason) => {
    const reject = sessionCheck('lf')(line, 9, 'lf') as CsvReject;
    expect(reject).toMatchObject({ line: 9, rawText: line, gate: 'parse', code, field: null });
    expect(reject.reason).toContain(reason);
  });

  it('rejects a CRLF line in an LF file, and an LF line in a CRLF file', () => {
    expect(sessionCheck('lf')(sessionLine(1), 3, 'crlf')).toMatchObject({
      gate: 'parse',
      code: 'crlf_mix',
      reason: 'ends with CRLF in a LF file',
    });
    expect(sessionCheck('crlf')(sessionLine(1), 3, 'lf')).toMatchObject({
      gate: 'parse',
      code: 'crlf_mix',
    });
    expect(sessionCheck('crlf')(sessionLine(1), 3, 'crlf')).toBeNull();
  });

  it.each([
    {
      defect: 'empty_required',
      overrides: { device_os: '' },
      field: 'device_os',
      reason: 'device_os: required',
    },
    {
      defect: 'out_of_range',
      overrides: { avg_bitrate_kbps: '99' },
      field: 'avg_bitrate_kbps',
      reason: 'avg_bitrate_kbps: must be between 100 and 40000',
    },
    {
      defect: 'end_before_start',
      overrides: { ended_at: '2024-05-01T20:00:00.000Z' },
      field: 'ended_at',
      reason: 'ended_at: must not be before started_at',
    },
    {
      defect: 'bad_date_format',
      overrides: { started_at: '2024/05/01 20:15:00' },
      field: 'started_at',
      reason: 'started_at: must be an ISO 8601 UTC timestamp',
    },
    {
      defect: 'bad_casing',
      overrides: { device_type: 'Smart_TV' },
      field: 'device_type',
      reason: 'device_type: Invalid option',
    },
    {
      defect: 'bad_country_code',
      overrides: { country_code: 'usa' },
      field: 'country_code',
      reason: 'country_code: must be an ISO 3166-1 alpha-2 code',
    },
    {
      defect: 'wrong_type',
      overrides: { watch_duration_s: 'thirty' },
      field: 'watch_duration_s',
      reason: 'watch_duration_s: must be an integer',
    },
  ])(
    'rejects $defect at the contract gate with the issue path and message',
    ({ overrides, field, reason }) => {
      const reject = sessionCheck('lf')(sessionLine(4, overrides), 12, 'lf') as CsvReject;
      expect(reject).toMatchObject({ line: 12, gate: 'contract', field });
      expect(reject.reason).toContain(reason);
    },
  );

  it('rejects what the contract allows but the column cannot hold', () => {
    const check = sessionCheck('lf');
    expect(
      check(sessionLine(1, { position_end_s: '99999999999', position_start_s: '0' }), 2, 'lf'),
    ).toMatchObject({ code: 'out_of_range_for_column', field: 'position_end_s' });
    expect(
      check(sessionLine(2, { started_at: '2024-02-30T20:15:00.000Z' }), 3, 'lf'),
    ).toMatchObject({ code: 'out_of_range_for_column', field: 'started_at' });
    // Text order says fine ("Z" sorts after "."), time order says ended 0.5 s before started.
    expect(
      check(
        sessionLine(3, {
          started_at: '2024-05-01T20:15:00.500Z',
          ended_at: '2024-05-01T20:15:00Z',
        }),
        4,
        'lf',
      ),
    ).toMatchObject({ field: 'ended_at', reason: 'ended_at: must not be before started_at' });
  });

  it('passes the first line of a key and marks later ones, identical or conflicting, as suspects', () => {
    const check = sessionCheck('lf');
    expect(check(sessionLine(1), 2, 'lf')).toBeNull();
    expect(check(sessionLine(2), 3, 'lf')).toBeNull();
    // A repeated key is a suspect: the loader settles it against the table after COPY.
    expect(check(sessionLine(1), 4, 'lf')).toEqual({
      suspect: true,
      line: 4,
      rawText: sessionLine(1),
      key: sessionRow(1).session_id,
    });
    expect(check(sessionLine(2, { quality: 'SD' }), 5, 'lf')).toMatchObject({
      suspect: true,
      line: 5,
    });
  });

  it('checks user rows against the cross-field rules of the contract', () => {
    const check = userCheck();
    expect(check(userLine(1, { subscription_status: 'cancelled' }), 2, 'lf')).toMatchObject({
      field: 'cancelled_at',
      reason: 'cancelled_at: must be set exactly when subscription_status is cancelled',
    });
    expect(check(userLine(2, { email: 'User2@Example.com' }), 3, 'lf')).toMatchObject({
      field: 'email',
      gate: 'contract',
    });
  });
});
