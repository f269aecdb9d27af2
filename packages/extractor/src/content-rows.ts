import type {
  RawContentCastTable,
  RawContentCrewTable,
  RawContentGenresTable,
  RawContentSeasonsEpisodesTable,
  RawContentSeasonsTable,
  RawContentTable,
} from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';

import type { StoredContentDocument } from './content-document.ts';

/** The rows one document becomes: its `raw.content` row and the rows of each child table. */
export interface ContentRows {
  readonly content: Insertable<RawContentTable>;
  readonly genres: Insertable<RawContentGenresTable>[];
  readonly cast: Insertable<RawContentCastTable>[];
  readonly crew: Insertable<RawContentCrewTable>[];
  readonly seasons: Insertable<RawContentSeasonsTable>[];
  readonly episodes: Insertable<RawContentSeasonsEpisodesTable>[];
}

/** The load a document's rows belong to. */
export interface ContentLoad {
  readonly loadId: string;
  readonly extractedAt: string;
}

/** A BSON date that holds a calendar date, as `YYYY-MM-DD` (UTC: the loader stores midnight UTC). */
function calendarDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function childOf(
  parent: { rootId: string; parentId: string; list: string; loadId: string },
  index: number,
) {
  return {
    _root_id: parent.rootId,
    _parent_id: parent.parentId,
    _list_idx: index,
    _row_id: `${parent.parentId}/${parent.list}/${index}`,
    _load_id: parent.loadId,
  };
}

/**
 * Flattens one validated document: top-level scalars, nested objects as `a__b__c` columns,
 * scalar arrays as `text[]`, the whole original document (unknown fields included) in `_doc`,
 * and one child row per element of each nested array with root, parent and list index.
 */
export function contentRows(
  raw: Readonly<Record<string, unknown>>,
  facts: {
    document: StoredContentDocument;
    load: ContentLoad;
    /** The source's change markers of this version (stripped from `raw` by the caller). */
    markers: { readonly seq: number; readonly changedAt: Date };
  },
): ContentRows {
  const { document: doc, load } = facts;
  const rootId = doc._id;
  const top = (list: string) => ({ rootId, parentId: rootId, list, loadId: load.loadId });
  const seasons = doc.type === 'series' ? doc.seasons : [];
  return {
    content: {
      content_id: rootId,
      type: doc.type,
      title: doc.title,
      original_language: doc.original_language,
      release_date: calendarDate(doc.release_date),
      maturity_rating: doc.maturity_rating,
      is_original: doc.is_original,
      runtime_min: doc.type === 'movie' ? doc.runtime_min : null,
      production_countries: doc.production_countries,
      available_qualities: doc.available_qualities,
      audio_languages: doc.audio_languages,
      subtitle_languages: doc.subtitle_languages,
      ratings__internal__avg: doc.ratings.internal.avg,
      ratings__internal__count: doc.ratings.internal.count,
      ratings__imdb__score: doc.ratings.imdb?.score ?? null,
      ratings__imdb__votes: doc.ratings.imdb?.votes ?? null,
      licensing__window_start: calendarDate(doc.licensing.window_start),
      licensing__window_end:
        doc.licensing.window_end === null ? null : calendarDate(doc.licensing.window_end),
      licensing__regions: doc.licensing.regions,
      updated_at: doc.updated_at,
      // JSON turns BSON dates into ISO text; the raw document (not the validated one) keeps drifted fields.
      _doc: JSON.stringify(raw),
      _change_seq: facts.markers.seq,
      _changed_at: facts.markers.changedAt,
      _load_id: load.loadId,
      _extracted_at: load.extractedAt,
    },
    genres: doc.genres.map((value, index) => ({ ...childOf(top('genres'), index), value })),
    cast: doc.cast.map((member, index) => ({ ...childOf(top('cast'), index), ...member })),
    crew: doc.crew.map((member, index) => ({ ...childOf(top('crew'), index), ...member })),
    seasons: seasons.map((season, index) => ({
      ...childOf(top('seasons'), index),
      season_number: season.season_number,
      release_date: calendarDate(season.release_date),
    })),
    episodes: seasons.flatMap((season, seasonIndex) => {
      const seasonRowId = childOf(top('seasons'), seasonIndex)._row_id;
      const parent = { rootId, parentId: seasonRowId, list: 'episodes', loadId: load.loadId };
      return season.episodes.map((episode, index) => ({
        ...childOf(parent, index),
        episode_id: episode.episode_id,
        episode_number: episode.episode_number,
        title: episode.title,
        runtime_min: episode.runtime_min,
        release_date: calendarDate(episode.release_date),
      }));
    }),
  };
}
