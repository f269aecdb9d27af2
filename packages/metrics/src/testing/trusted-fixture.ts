import type {
  AggDailyContentTable,
  AggDailyUsageTable,
  BridgeContentGenreTable,
  DimContentTable,
  DimDateTable,
  DimUserTable,
  FactViewingSessionTable,
} from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';

import { buildContent, buildDates } from './fixture-dimensions.ts';
import { aggregateContent, aggregateUsage, buildSessions } from './fixture-facts.ts';
import { buildUsers } from './fixture-users.ts';
import { random } from './fixture-values.ts';

export { trustedFixtureRange } from './fixture-values.ts';

/** Typed rows of every trusted table the dashboard reads, small and deterministic. */
export interface TrustedFixture {
  readonly dimDate: Insertable<DimDateTable>[];
  readonly dimUser: Insertable<DimUserTable>[];
  readonly dimContent: Insertable<DimContentTable>[];
  readonly bridgeContentGenre: Insertable<BridgeContentGenreTable>[];
  readonly factViewingSession: Insertable<FactViewingSessionTable>[];
  readonly aggDailyUsage: Insertable<AggDailyUsageTable>[];
  readonly aggDailyContent: Insertable<AggDailyContentTable>[];
}

/** Builds the fixture: 60 users (some with plan changes and cancellations), 14 titles, `sessions` sessions. */
export function buildTrustedFixture(
  options: { seed?: number; sessions?: number } = {},
): TrustedFixture {
  const next = random(options.seed ?? 7);
  const users = buildUsers(next, 60);
  const { dimContent, bridge } = buildContent();
  const factViewingSession = buildSessions({
    next,
    users,
    content: dimContent,
    count: options.sessions ?? 800,
  });
  return {
    dimDate: buildDates(),
    dimUser: users.map((user) => user.row),
    dimContent,
    bridgeContentGenre: bridge,
    factViewingSession,
    aggDailyUsage: aggregateUsage(factViewingSession, users),
    aggDailyContent: aggregateContent(factViewingSession),
  };
}
