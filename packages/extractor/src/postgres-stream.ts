import { userColumns, viewingSessionColumns } from '@reelhouse/contracts';
import type {
  ChangeMarkers,
  LoadMetadata,
  RawUsersTable,
  RawViewingSessionsTable,
} from '@reelhouse/warehouse';

import type { SameKeys } from './same-keys.ts';

/** A column of a source table as the extractor expects it, with its SQL type in `raw`. */
export interface ExpectedColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** A PostgreSQL source table and the `raw` table it lands in, with its key and cursor. */
export interface PostgresStream {
  readonly stream: 'users' | 'viewing_sessions';
  readonly sourceTable: string;
  readonly rawTable: string;
  readonly key: string;
  /** SQL type of the key, to read tombstone keys (text) back. */
  readonly keyType: string;
  /** The source's change marker the cursor follows (the writing transaction; see `change-cursor.ts`). */
  readonly cursorColumn: '_change_xid';
  readonly columns: readonly ExpectedColumn[];
  /** Columns an erasure (a tombstone of this stream) nulls in the history. */
  readonly personalColumns: readonly string[];
}

/** Columns the source maintains on every row: copied as markers, never as data. */
export const sourceMarkerColumns = ['_change_seq', '_changed_at', '_change_xid'] as const;

type Typed<Name extends string> = readonly {
  readonly name: Name;
  readonly type: string;
  readonly nullable: boolean;
}[];

const userTypes = {
  user_id: 'uuid',
  email: 'text',
  first_name: 'text',
  last_name: 'text',
  birth_year: 'smallint null',
  gender: 'text null',
  country_code: 'character(2)',
  city: 'text null',
  preferred_language: 'text',
  signup_ts: 'timestamp with time zone',
  plan: 'text',
  monthly_price_cents: 'integer',
  currency: 'character(3)',
  subscription_status: 'text',
  cancelled_at: 'timestamp with time zone null',
  acquisition_channel: 'text',
  marketing_opt_in: 'boolean',
  updated_at: 'timestamp with time zone',
} as const satisfies Record<(typeof userColumns)[number], string>;

const viewingSessionTypes = {
  session_id: 'uuid',
  user_id: 'uuid',
  content_id: 'text',
  started_at: 'timestamp with time zone',
  ended_at: 'timestamp with time zone',
  watch_duration_s: 'integer',
  position_start_s: 'integer',
  position_end_s: 'integer',
  device_type: 'text',
  device_os: 'text',
  app_version: 'text',
  country_code: 'character(2)',
  quality: 'text',
  avg_bitrate_kbps: 'integer',
  bytes_transferred: 'bigint',
  startup_ms: 'integer',
  rebuffer_count: 'smallint',
  rebuffer_ms: 'integer',
  exit_reason: 'text',
  is_offline: 'boolean',
  updated_at: 'timestamp with time zone',
} as const satisfies Record<(typeof viewingSessionColumns)[number], string>;

// The raw DDL below and the Kysely types of @reelhouse/warehouse name the same columns (checked by tsc).
const _usersTypesAgree: SameKeys<
  keyof RawUsersTable,
  keyof typeof userTypes | keyof LoadMetadata | keyof ChangeMarkers
> = true;
const _sessionsTypesAgree: SameKeys<
  keyof RawViewingSessionsTable,
  keyof typeof viewingSessionTypes | keyof LoadMetadata | keyof ChangeMarkers
> = true;

// Types are spelled as `format_type` prints them, so the catalog comparison is a string compare.
function typed<Name extends string>(
  names: readonly Name[],
  types: Record<Name, string>,
): Typed<Name> {
  return names.map((name) => {
    const spec = types[name];
    const nullable = spec.endsWith(' null');
    return { name, type: nullable ? spec.slice(0, -' null'.length) : spec, nullable };
  });
}

/** `public.users` → `raw.users`. */
export const usersStream: PostgresStream = {
  stream: 'users',
  sourceTable: 'public.users',
  rawTable: 'raw.users',
  key: 'user_id',
  keyType: 'uuid',
  cursorColumn: '_change_xid',
  columns: typed(userColumns, userTypes),
  personalColumns: ['email', 'first_name', 'last_name', 'city', 'birth_year'],
};

/** `public.viewing_sessions` → `raw.viewing_sessions`. */
export const viewingSessionsStream: PostgresStream = {
  stream: 'viewing_sessions',
  sourceTable: 'public.viewing_sessions',
  rawTable: 'raw.viewing_sessions',
  key: 'session_id',
  keyType: 'uuid',
  cursorColumn: '_change_xid',
  columns: typed(viewingSessionColumns, viewingSessionTypes),
  personalColumns: [],
};
