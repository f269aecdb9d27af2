import type { AnyModel } from '@reelhouse/model-compiler';

import { agg_daily_content } from './agg_daily_content.ts';
import { agg_daily_usage } from './agg_daily_usage.ts';
import { bridge_content_cast } from './bridge_content_cast.ts';
import { bridge_content_genre } from './bridge_content_genre.ts';
import { dim_content } from './dim_content.ts';
import { dim_date } from './dim_date.ts';
import { dim_user } from './dim_user.ts';
import { fact_viewing_session } from './fact_viewing_session.ts';
import { ref_country } from './ref_country.ts';
import { stg_content } from './stg_content.ts';
import { stg_content_cast } from './stg_content_cast.ts';
import { stg_content_genres } from './stg_content_genres.ts';
import { stg_episodes } from './stg_episodes.ts';
import { stg_users } from './stg_users.ts';
import { stg_viewing_sessions } from './stg_viewing_sessions.ts';

export {
  agg_daily_content,
  agg_daily_usage,
  bridge_content_cast,
  bridge_content_genre,
  dim_content,
  dim_date,
  dim_user,
  fact_viewing_session,
  ref_country,
  stg_content,
  stg_content_cast,
  stg_content_genres,
  stg_episodes,
  stg_users,
  stg_viewing_sessions,
};

/** Every model of the star schema: staging views, the countries seed, dimensions, bridges, the fact and aggregates. */
export const models: readonly AnyModel[] = [
  ref_country,
  stg_users,
  stg_viewing_sessions,
  stg_content,
  stg_episodes,
  stg_content_genres,
  stg_content_cast,
  dim_date,
  dim_user,
  dim_content,
  bridge_content_genre,
  bridge_content_cast,
  fact_viewing_session,
  agg_daily_usage,
  agg_daily_content,
];
export { sourceFreshness } from './source-freshness.ts';
