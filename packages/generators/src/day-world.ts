import type { ContentDocument } from '@reelhouse/contracts';

import type { Catalogue } from './catalogue.ts';
import { PersonPool } from './person-pool.ts';
import { Random } from './random.ts';
import { dayMs, timeline } from './timeline.ts';
import { userRows } from './write-users.ts';
import { writeCatalogue } from './write-catalogue.ts';
import { createUserTable, userStride, userCancel, type UserTable } from './user-table.ts';

/** A user's subscription state as the day batches evolve it. */
export const subscribed = 0;
export const cancelled = 1;
export const erased = 2;

/** Fields of a user row a day batch changes; absent fields keep the row's value. */
export interface UserChange {
  plan?: string;
  monthlyPriceCents?: number;
  status?: string;
  /** Epoch ms, or `null` for a return (no cancellation). */
  cancelledAtMs?: number | null;
  updatedMs: number;
}

/** A playable item released by a day batch (a new title's movie or episode, or a new episode). */
export interface NewItem {
  readonly id: string;
  readonly releaseMs: number;
  readonly runtimeS: number;
  readonly maxQuality: number;
}

/** A session row kept for a few days so later batches can correct or delete it. */
export interface RecentSession {
  row: string[];
  readonly arrivedDay: number;
  gone: boolean;
}

/** Discards what the catalogue writer produces: only its in-memory catalogue is wanted here. */
const discard = { append: () => false, flush: () => Promise.resolve() };

/** Titles whose documents are kept in memory as candidates for edits (1 in 8, plus running series). */
export function keepsDocument(index: number, document: ContentDocument): boolean {
  if (index % 8 === 0) return true;
  if (document.type !== 'series') return false;
  const last = document.seasons.at(-1)?.episodes.at(-1);
  return last !== undefined && Date.parse(last.release_date) >= timeline.referenceMs - 90 * dayMs;
}

/**
 * The world after the base data set, rebuilt from the seed (no file is read): the user table, the
 * catalogue, and the documents a batch may change. Day batches then evolve it in order, so day D
 * depends only on the seed and the days before it, never on how many days are asked.
 */
export class DayWorld {
  readonly seed: number;
  readonly baseUsers: number;
  readonly baseTitles: number;
  users: UserTable;
  userCount: number;
  /** `subscribed`, `cancelled` or `erased` per user index. */
  userState: Uint8Array;
  readonly catalogue: Catalogue;
  readonly documents = new Map<string, ContentDocument>();
  readonly deletedTitles = new Set<string>();
  readonly newItems: NewItem[] = [];
  readonly people: PersonPool;
  /** Full rows of users created by day batches (base rows are regenerated when written). */
  readonly newUserRows = new Map<number, string[]>();
  /** The latest change of every user changed by a batch so far. */
  readonly userChanges = new Map<number, UserChange>();
  recentSessions: RecentSession[] = [];
  titleCount: number;

  private constructor(options: {
    seed: number;
    users: UserTable;
    catalogue: Catalogue;
    titles: number;
  }) {
    this.seed = options.seed;
    this.baseUsers = options.users.count;
    this.baseTitles = options.titles;
    this.titleCount = options.titles;
    this.users = options.users;
    this.userCount = options.users.count;
    this.catalogue = options.catalogue;
    this.people = new PersonPool({
      random: new Random(options.seed, 'people'),
      size: Math.max(60, options.titles * 2),
    });
    this.userState = new Uint8Array(options.users.count);
    for (let user = 0; user < this.userCount; user++) {
      const cancelMs = this.users.records[user * userStride + userCancel]!;
      this.userState[user] = Number.isFinite(cancelMs) ? cancelled : subscribed;
    }
  }

  /** Regenerates the base data set's state in memory (the users' and catalogue's random streams). */
  static async rebuild(options: {
    readonly seed: number;
    readonly users: number;
    readonly titles: number;
  }): Promise<DayWorld> {
    const table = createUserTable({ count: options.users, seed: options.seed });
    for (const _row of userRows({ seed: options.seed, table })) {
      // Only the table the rows fill is needed.
    }
    const kept: [string, ContentDocument][] = [];
    const catalogue = await writeCatalogue({
      sink: discard,
      seed: options.seed,
      titles: options.titles,
      onDocument: (index, document) => {
        if (keepsDocument(index, document)) kept.push([document._id, document]);
      },
    });
    const world = new DayWorld({
      seed: options.seed,
      users: table,
      catalogue,
      titles: options.titles,
    });
    for (const [id, document] of kept) world.documents.set(id, document);
    return world;
  }

  /** Appends a user to the table (capacity doubles, so memory stays a few bytes per user). */
  addUser(record: readonly number[]): number {
    const index = this.userCount;
    if ((index + 1) * userStride > this.users.records.length) {
      const records = new Float64Array(Math.max(16, this.users.records.length * 2));
      records.set(this.users.records);
      this.users = { ...this.users, records };
      const state = new Uint8Array(records.length / userStride);
      state.set(this.userState);
      this.userState = state;
    }
    this.users.records.set(record, index * userStride);
    this.userState[index] = subscribed;
    this.userCount = index + 1;
    return index;
  }
}
