import type {
  CastMember,
  ContentDocument,
  CrewMember,
  MaturityRating,
  Quality,
  Season,
} from '@reelhouse/contracts';

import { namePools } from './datasets/person-names.ts';
import {
  episodeTitleWords,
  genres,
  languages,
  titleAdjectives,
  titleNouns,
  titlePatterns,
  titlePlaces,
} from './datasets/title-words.ts';
import { isoDate, isoTimestamp } from './iso-timestamp.ts';
import type { PersonPool } from './person-pool.ts';
import type { Random } from './random.ts';
import { dayMs, timeline } from './timeline.ts';

const movieRatings: readonly MaturityRating[] = ['G', 'PG', 'PG-13', 'PG-13', 'R', 'R', 'NC-17'];
const seriesRatings: readonly MaturityRating[] = [
  'TV-Y',
  'TV-G',
  'TV-PG',
  'TV-14',
  'TV-14',
  'TV-MA',
  'TV-MA',
];
const crewRoles = ['director', 'writer', 'producer', 'composer', 'cinematographer'] as const;
const allRegions = ['UCAN', 'EMEA', 'LATAM', 'APAC'] as const;
const productionCountries = [
  'US',
  'US',
  'US',
  'GB',
  'FR',
  'DE',
  'ES',
  'KR',
  'JP',
  'IN',
  'BR',
  'MX',
  'IT',
  'SE',
  'TR',
  'CA',
  'AU',
];
const characterFirst = Object.values(namePools).flatMap((pool) => pool.first);

/** What a title needs beyond the random stream. */
export interface TitleSpec {
  readonly random: Random;
  readonly people: PersonPool;
  readonly index: number;
  readonly kind: 'movie' | 'series';
  readonly releaseMs: number;
}

/** Playable parts of a title as the session generator sees them. */
export interface PlayableItem {
  readonly id: string;
  readonly releaseMs: number;
  readonly runtimeS: number;
}

function titleText(random: Random): string {
  const pattern = random.pick(titlePatterns);
  return pattern
    .replace(/\bA\b/g, () => random.pick(titleAdjectives))
    .replace(/\bN\b/g, () => random.pick(titleNouns))
    .replace(/\bP\b/g, () => random.pick(titlePlaces));
}

function distinct<T>(
  random: Random,
  options: { readonly from: readonly T[]; readonly count: number },
): T[] {
  const chosen = new Set<T>();
  for (let attempt = 0; chosen.size < options.count && attempt < options.count * 6; attempt++)
    chosen.add(random.pick(options.from));
  return [...chosen];
}

function credits(spec: TitleSpec): { cast: CastMember[]; crew: CrewMember[] } {
  const { random, people } = spec;
  const cast = people.draw(random, random.int(3, 8)).map((person, order) => ({
    person_id: person.person_id,
    name: person.name,
    role: spec.kind === 'series' && random.chance(0.05) ? ('voice' as const) : ('actor' as const),
    character: random.chance(0.1)
      ? `${random.pick(characterFirst)} "${random.pick(titleAdjectives)}"`
      : random.pick(characterFirst),
    billing_order: order + 1,
  }));
  const crew = people.draw(random, random.int(2, 5)).map((person, order) => ({
    person_id: person.person_id,
    name: person.name,
    role: crewRoles[order % crewRoles.length] ?? 'producer',
  }));
  return { cast, crew };
}

function seasons(spec: TitleSpec, id: number): { seasons: Season[]; items: PlayableItem[] } {
  const { random } = spec;
  const seasonCount = Math.min(8, 1 + Math.floor(random.exponential(1.3)));
  const sitcom = random.chance(0.35);
  const allAtOnce = random.chance(0.6);
  const result: Season[] = [];
  const items: PlayableItem[] = [];
  let seasonMs = spec.releaseMs;
  for (let s = 1; s <= seasonCount; s++) {
    if (s > 1) seasonMs += random.int(300, 450) * dayMs;
    if (s > 1 && seasonMs > timeline.referenceMs) break;
    const episodes = [];
    const episodeCount = random.int(6, 13);
    for (let e = 1; e <= episodeCount; e++) {
      const releaseMs = allAtOnce ? seasonMs : seasonMs + (e - 1) * 7 * dayMs;
      const runtime = sitcom ? random.int(20, 32) : random.int(38, 62);
      const episodeId = `ep_${String(id).padStart(6, '0')}_s${String(s).padStart(2, '0')}e${String(e).padStart(2, '0')}`;
      episodes.push({
        episode_id: episodeId,
        episode_number: e,
        title: e === 1 && s === 1 ? 'Pilot' : random.pick(episodeTitleWords),
        runtime_min: runtime,
        release_date: isoDate(releaseMs),
      });
      items.push({ id: episodeId, releaseMs, runtimeS: runtime * 60 });
    }
    result.push({ season_number: s, release_date: isoDate(seasonMs), episodes });
  }
  return { seasons: result, items };
}

/** Builds one catalogue document (movie or series with its episodes) and its playable items. */
export function buildContentDocument(spec: TitleSpec): {
  document: ContentDocument;
  items: PlayableItem[];
  maxQuality: number;
} {
  const { random, kind } = spec;
  const id = spec.index + 1;
  const uhd = random.chance(kind === 'series' ? 0.45 : 0.35);
  const qualities: Quality[] = uhd ? ['SD', 'HD', 'FHD', 'UHD'] : ['SD', 'HD', 'FHD'];
  const originalLanguage = random.chance(0.55) ? 'en' : random.pick(languages);
  const windowStartMs = Math.max(
    spec.releaseMs,
    timeline.signupsFromMs + random.int(0, 800) * dayMs,
  );
  const updatedMs = Math.min(
    timeline.referenceMs - 1,
    Math.max(spec.releaseMs, windowStartMs) + random.int(0, 400) * dayMs + random.int(0, dayMs - 1),
  );
  const { cast, crew } = credits(spec);
  const base = {
    title: titleText(random),
    original_language: originalLanguage,
    release_date: isoDate(spec.releaseMs),
    maturity_rating: random.pick(kind === 'movie' ? movieRatings : seriesRatings),
    genres: distinct(random, { from: genres, count: random.int(1, 3) }),
    production_countries: distinct(random, {
      from: productionCountries,
      count: random.chance(0.8) ? 1 : 2,
    }),
    is_original: random.chance(0.2),
    available_qualities: qualities,
    audio_languages: distinct(random, {
      from: [originalLanguage, 'en', 'es', 'fr', 'de', 'pt'],
      count: random.int(1, 4),
    }),
    subtitle_languages: distinct(random, { from: languages, count: random.int(0, 8) }),
    cast,
    crew,
    ratings: {
      internal: {
        avg: Math.round((1.5 + random.float() * 3.4) * 100) / 100,
        count: Math.floor(random.logNormal(400, 1.5)),
      },
      imdb: random.chance(0.15)
        ? null
        : {
            score: Math.round((4 + random.float() * 5.2) * 10) / 10,
            votes: Math.floor(random.logNormal(20_000, 1.8)),
          },
    },
    licensing: {
      window_start: isoDate(windowStartMs),
      window_end: random.chance(0.7)
        ? null
        : isoDate(windowStartMs + random.int(365, 5 * 365) * dayMs),
      regions: random.chance(0.6)
        ? [...allRegions]
        : distinct(random, { from: allRegions, count: random.int(1, 3) }),
    },
    updated_at: isoTimestamp(updatedMs),
  };
  if (kind === 'movie') {
    const runtime = Math.round(Math.min(200, Math.max(75, 80 + random.logNormal(28, 0.5))));
    const movieId = `mov_${String(id).padStart(6, '0')}`;
    return {
      document: { _id: movieId, type: 'movie', ...base, runtime_min: runtime },
      items: [{ id: movieId, releaseMs: spec.releaseMs, runtimeS: runtime * 60 }],
      maxQuality: qualities.length - 1,
    };
  }
  const built = seasons(spec, id);
  return {
    document: {
      _id: `ser_${String(id).padStart(6, '0')}`,
      type: 'series',
      ...base,
      seasons: built.seasons,
    },
    items: built.items,
    maxQuality: qualities.length - 1,
  };
}
