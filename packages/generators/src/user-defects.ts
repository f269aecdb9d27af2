import { userColumns } from '@reelhouse/contracts';

import { badCasing, badCountryCode, badTimestamp } from './bad-values.ts';
import { csvDefectClasses } from './csv-defect-classes.ts';
import type { CellChange, CsvDefectSpec } from './csv-defects.ts';
import { isoTimestamp } from './iso-timestamp.ts';
import type { Random } from './random.ts';
import { dayMs } from './timeline.ts';

function change(
  row: Readonly<Record<string, string>>,
  options: { readonly random: Random; readonly defect: string },
): CellChange | null {
  const { random } = options;
  switch (options.defect) {
    case 'empty_required':
      return {
        field: random.pick([
          'email',
          'first_name',
          'last_name',
          'signup_ts',
          'plan',
          'currency',
          'updated_at',
        ]),
        value: '',
      };
    case 'out_of_range':
      return row['birth_year'] !== '' && random.chance(0.5)
        ? { field: 'birth_year', value: random.pick(['1850', '1899', '2031']) }
        : { field: 'monthly_price_cents', value: random.pick(['0', '-500', '25000000']) };
    case 'end_before_start': {
      const signup = row['signup_ts'] ?? '';
      if (row['cancelled_at'] === '' || signup === '') return null;
      return {
        field: 'cancelled_at',
        value: isoTimestamp(Date.parse(signup) - random.int(1, 400) * dayMs),
      };
    }
    case 'bad_date_format': {
      const field = random.pick(['signup_ts', 'updated_at']);
      return { field, value: badTimestamp(random, row[field] ?? '') };
    }
    case 'bad_casing': {
      const field = random.pick(['plan', 'subscription_status']);
      return { field, value: badCasing(row[field] ?? '') };
    }
    case 'bad_country_code':
      return { field: 'country_code', value: badCountryCode(row['country_code'] ?? '') };
    case 'wrong_type':
      if (row['birth_year'] !== '' && random.chance(0.4))
        return { field: 'birth_year', value: `${row['birth_year']}.0` };
      return random.chance(0.5)
        ? {
            field: 'monthly_price_cents',
            value: (Number(row['monthly_price_cents']) / 100).toFixed(2),
          }
        : { field: 'marketing_opt_in', value: random.pick(['yes', 'no', '1', 'Y']) };
    default:
      return null;
  }
}

/** How `users.csv` lines go bad. */
export const userDefects: CsvDefectSpec = {
  columns: userColumns,
  keyColumn: 'user_id',
  textColumn: 'first_name',
  classes: csvDefectClasses,
  change,
};
