import type { Selectable } from 'kysely';
import { describe, expectTypeOf, it } from 'vitest';

import type { RowOf } from '@reelhouse/model-compiler';
import type {
  AggDailyContentTable,
  AggDailyUsageTable,
  BridgeContentCastTable,
  BridgeContentGenreTable,
  DimContentTable,
  DimDateTable,
  DimUserTable,
  FactViewingSessionTable,
  RefCountryTable,
} from '@reelhouse/warehouse';

import type {
  agg_daily_content,
  agg_daily_usage,
  bridge_content_cast,
  bridge_content_genre,
  dim_content,
  dim_date,
  dim_user,
  fact_viewing_session,
  ref_country,
} from '../src/index.ts';

// The dashboard reads `trusted` through the warehouse types: each must equal its model's output row.
describe('trusted table types', () => {
  it('equal the output rows of the dimension models', () => {
    expectTypeOf<RowOf<typeof dim_date>>().toEqualTypeOf<Selectable<DimDateTable>>();
    expectTypeOf<RowOf<typeof dim_user>>().toEqualTypeOf<Selectable<DimUserTable>>();
    expectTypeOf<RowOf<typeof dim_content>>().toEqualTypeOf<Selectable<DimContentTable>>();
    expectTypeOf<RowOf<typeof bridge_content_genre>>().toEqualTypeOf<
      Selectable<BridgeContentGenreTable>
    >();
    expectTypeOf<RowOf<typeof bridge_content_cast>>().toEqualTypeOf<
      Selectable<BridgeContentCastTable>
    >();
    expectTypeOf<RowOf<typeof ref_country>>().toEqualTypeOf<Selectable<RefCountryTable>>();
  });

  it('equal the output rows of the fact and the aggregates', () => {
    expectTypeOf<RowOf<typeof fact_viewing_session>>().toEqualTypeOf<
      Selectable<FactViewingSessionTable>
    >();
    expectTypeOf<RowOf<typeof agg_daily_usage>>().toEqualTypeOf<Selectable<AggDailyUsageTable>>();
    expectTypeOf<RowOf<typeof agg_daily_content>>().toEqualTypeOf<
      Selectable<AggDailyContentTable>
    >();
  });
});
