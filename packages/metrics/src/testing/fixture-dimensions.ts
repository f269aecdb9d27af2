import type { BridgeContentGenreTable, DimContentTable, DimDateTable } from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';

import { dayKeyOf, dayMs, genres, isoDay } from './fixture-values.ts';

export function buildDates(): Insertable<DimDateTable>[] {
  const rows: Insertable<DimDateTable>[] = [
    {
      date_key: -1,
      full_date: null,
      year: null,
      quarter: null,
      month: null,
      month_name: null,
      iso_week: null,
      day_of_month: null,
      day_of_week: null,
      day_name: null,
      is_weekend: null,
    },
  ];
  for (
    let ms = Date.parse('2025-09-01T00:00:00Z');
    ms <= Date.parse('2026-04-30T00:00:00Z');
    ms += dayMs
  ) {
    const date = new Date(ms);
    const isoDow = ((date.getUTCDay() + 6) % 7) + 1;
    rows.push({
      date_key: dayKeyOf(ms),
      full_date: isoDay(ms),
      year: date.getUTCFullYear(),
      quarter: Math.floor(date.getUTCMonth() / 3) + 1,
      month: date.getUTCMonth() + 1,
      month_name: date.toLocaleString('en', { month: 'long', timeZone: 'UTC' }),
      iso_week: null,
      day_of_month: date.getUTCDate(),
      day_of_week: isoDow,
      day_name: date.toLocaleString('en', { weekday: 'long', timeZone: 'UTC' }),
      is_weekend: isoDow >= 6,
    });
  }
  return rows;
}

export function buildContent(): {
  dimContent: Insertable<DimContentTable>[];
  bridge: Insertable<BridgeContentGenreTable>[];
} {
  const unknown: Insertable<DimContentTable> = {
    content_key: -1,
    content_id: 'unknown',
    content_type: 'unknown',
    title: 'Unknown',
    series_id: null,
    series_title: null,
    season_number: null,
    episode_number: null,
    runtime_s: null,
    release_date: null,
    primary_genre: 'Unknown',
    maturity_rating: null,
    original_language: null,
    is_original: null,
    rating_internal_avg: null,
    rating_imdb_score: null,
  };
  const items: Insertable<DimContentTable>[] = [unknown];
  const movies = ['The Long Night', "Ocean's Edge", 'Paper Moons', 'Quiet Engines'];
  movies.forEach((title, index) => {
    items.push({
      ...unknown,
      content_key: index + 1,
      content_id: `mov_${index + 1}`,
      content_type: 'movie',
      title,
      runtime_s: 5400 + index * 600,
      release_date: '2024-06-01',
      primary_genre: genres[index % genres.length]!,
    });
  });
  const series = [
    { id: 'ser_1', title: 'Harbour Lights', seasons: 2, episodes: 3, genre: 'Drama' },
    { id: 'ser_2', title: 'Orbit Station', seasons: 1, episodes: 4, genre: 'Sci-Fi' },
  ];
  for (const show of series) {
    for (let season = 1; season <= show.seasons; season += 1) {
      for (let episode = 1; episode <= show.episodes; episode += 1) {
        const key = items.length;
        items.push({
          ...unknown,
          content_key: key,
          content_id: `ep_${show.id}_${season}_${episode}`,
          content_type: 'episode',
          title: `${show.title} ${season}.${episode}`,
          series_id: show.id,
          series_title: show.title,
          season_number: season,
          episode_number: episode,
          runtime_s: 2700,
          release_date: '2025-01-01',
          primary_genre: show.genre,
        });
      }
    }
  }
  const bridge = items
    .filter((item) => item.content_key !== -1)
    .map((item) => ({
      content_key: item.content_key,
      genre: item.primary_genre,
      is_primary: true,
    }));
  return { dimContent: items, bridge };
}
