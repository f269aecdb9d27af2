import { viewingSessionColumns } from '@reelhouse/contracts';

import { badCasing, badCountryCode, badTimestamp } from './bad-values.ts';
import { csvDefectClasses } from './csv-defect-classes.ts';
import type { CellChange, CsvDefectSpec } from './csv-defects.ts';
import { isoTimestamp } from './iso-timestamp.ts';
import type { Random } from './random.ts';
import { randomUuid } from './uuid.ts';

function change(
  row: Readonly<Record<string, string>>,
  options: { readonly random: Random; readonly defect: string },
): CellChange | null {
  const { random } = options;
  switch (options.defect) {
    case 'empty_required':
      return {
        field: random.pick([
          'user_id',
          'content_id',
          'started_at',
          'ended_at',
          'device_type',
          'device_os',
          'quality',
          'exit_reason',
          'updated_at',
        ]),
        value: '',
      };
    case 'out_of_range':
      return random.pick<CellChange>([
        { field: 'avg_bitrate_kbps', value: random.pick(['40', '99000']) },
        { field: 'startup_ms', value: '250000' },
        { field: 'watch_duration_s', value: String(random.int(6 * 3600 + 1, 30 * 3600)) },
        { field: 'rebuffer_count', value: '-1' },
      ]);
    case 'end_before_start':
      return {
        field: 'ended_at',
        value: isoTimestamp(Date.parse(row['started_at'] ?? '') - random.int(1, 3600) * 1000),
      };
    case 'bad_date_format': {
      const field = random.pick(['started_at', 'ended_at', 'updated_at']);
      return { field, value: badTimestamp(random, row[field] ?? '') };
    }
    case 'bad_casing': {
      const field = random.pick(['device_type', 'quality', 'exit_reason']);
      return { field, value: badCasing(row[field] ?? '') };
    }
    case 'bad_country_code':
      return { field: 'country_code', value: badCountryCode(row['country_code'] ?? '') };
    case 'wrong_type':
      return random.pick<CellChange>([
        { field: 'watch_duration_s', value: `${row['watch_duration_s']}.5s` },
        { field: 'is_offline', value: random.pick(['no', 'yes', '0']) },
        { field: 'bytes_transferred', value: `${row['bytes_transferred']}.0` },
      ]);
    case 'orphan':
      return random.chance(0.5)
        ? { field: 'user_id', value: randomUuid(random) }
        : {
            field: 'content_id',
            value: `${(row['content_id'] ?? '').startsWith('ep_') ? 'ep' : 'mov'}_orphan_${random.int(1, 99_999)}`,
          };
    default:
      return null;
  }
}

/** How `viewing_sessions.csv` lines go bad. */
export const sessionDefects: CsvDefectSpec = {
  columns: viewingSessionColumns,
  keyColumn: 'session_id',
  textColumn: 'device_os',
  // Only sessions reference other rows, so only they can be orphans.
  classes: [...csvDefectClasses, 'orphan'],
  change,
};
