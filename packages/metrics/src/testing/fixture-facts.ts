import type {
  AggDailyContentTable,
  AggDailyUsageTable,
  DimContentTable,
  FactViewingSessionTable,
} from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';

import type { UserVersion } from './fixture-users.ts';
import {
  bitrates,
  countries,
  dayKeyOf,
  dayMs,
  devices,
  extractedAt,
  numeric,
  pick,
  plans,
  trustedFixtureRange,
} from './fixture-values.ts';

export function buildSessions(options: {
  next: () => number;
  users: readonly UserVersion[];
  content: readonly Insertable<DimContentTable>[];
  count: number;
}): Insertable<FactViewingSessionTable>[] {
  const { next, users, content, count } = options;
  const rangeStart = Date.parse(`${trustedFixtureRange.from}T00:00:00Z`);
  const rangeEnd = Date.parse(`${trustedFixtureRange.to}T00:00:00Z`) + dayMs;
  const people = [
    ...new Set(users.filter((user) => user.row.user_key !== -1).map((user) => user.row.user_id)),
  ];
  const playable = content.filter((item) => item.content_key !== -1);
  const sessions: Insertable<FactViewingSessionTable>[] = [];
  while (sessions.length < count) {
    const orphan = sessions.length % 40 === 39;
    const userId = pick(next, people);
    const versions = users.filter((user) => user.row.user_id === userId);
    const cancelled = versions.find((user) => user.row.subscription_status === 'cancelled');
    const startLimit = Math.max(rangeStart, versions[0]!.fromMs);
    const endLimit = Math.min(rangeEnd, cancelled?.cancelledMs ?? rangeEnd);
    if (endLimit - startLimit < 3_600_000) continue;
    const startedMs = startLimit + Math.floor(next() * (endLimit - startLimit - 3_600_000));
    const version = orphan
      ? users[0]!
      : versions.find((user) => user.fromMs <= startedMs && startedMs < user.toMs)!;
    const country = orphan
      ? pick(next, countries)
      : countries.find((entry) => entry.code === version.row.country_code)!;
    const item = next() < 0.03 ? content[0]! : pick(next, playable);
    const runtime = item.runtime_s ?? 3600;
    const ratio = next() < 0.35 ? 1 : 0.05 + next() * 0.85;
    const watch = Math.max(30, Math.round(runtime * ratio));
    const plan = plans.find((entry) => entry.plan === version.row.plan) ?? plans[0];
    const quality = pick(next, plan.qualities);
    const bitrate = bitrates[quality]! + Math.floor(next() * 400);
    const rebuffers = Math.floor(next() * next() * 5);
    const localMs = startedMs + country.offsetH * 3_600_000;
    sessions.push({
      session_id: `s${String(sessions.length + 1).padStart(5, '0')}`,
      user_key: version.row.user_key,
      content_key: item.content_key,
      date_key: dayKeyOf(startedMs),
      started_at: new Date(startedMs),
      ended_at: new Date(startedMs + watch * 1000),
      start_hour_local: new Date(localMs).getUTCHours(),
      day_of_week_local: ((new Date(localMs).getUTCDay() + 6) % 7) + 1,
      device_type: pick(next, devices),
      device_os: pick(next, ['tizen', 'android', 'ios', 'webos', 'windows']),
      country_code: country.code,
      region: country.region,
      quality,
      avg_bitrate_kbps: bitrate,
      bytes_transferred: Math.round((bitrate * 1000 * watch) / 8),
      watch_duration_s: watch,
      runtime_s: item.runtime_s ?? null,
      completion_ratio: item.runtime_s ? Math.min(1, watch / item.runtime_s) : null,
      is_completed: ratio >= 1 && item.runtime_s !== null,
      startup_ms: 300 + Math.floor(next() * 2500),
      rebuffer_count: rebuffers,
      rebuffer_ms: rebuffers * (200 + Math.floor(next() * 3000)),
      exit_reason:
        ratio >= 1 ? 'completed' : pick(next, ['user_exit', 'next_episode', 'error', 'timeout']),
      is_offline: next() < 0.05,
      _load_id: 'fixture-load-1',
      _extracted_at: extractedAt,
    });
  }
  return sessions;
}

export function aggregateUsage(
  sessions: readonly Insertable<FactViewingSessionTable>[],
  users: readonly UserVersion[],
): Insertable<AggDailyUsageTable>[] {
  const planOf = new Map(users.map((user) => [numeric(user.row.user_key), user.row.plan]));
  const groups = new Map<string, Insertable<AggDailyUsageTable>>();
  for (const s of sessions) {
    const plan = planOf.get(numeric(s.user_key)) ?? 'unknown';
    const key = [s.date_key, s.country_code, s.region, s.device_type, plan, s.quality].join('|');
    const group = groups.get(key) ?? {
      date_key: s.date_key,
      country_code: s.country_code,
      region: s.region,
      device_type: s.device_type,
      plan,
      quality: s.quality,
      sessions: 0,
      watch_seconds: 0,
      completed_sessions: 0,
      rebuffer_count: 0,
      rebuffer_ms: 0,
      startup_ms_total: 0,
      bitrate_kbps_seconds: 0,
      bytes_transferred: 0,
      _extracted_at: extractedAt,
    };
    group.sessions = numeric(group.sessions) + 1;
    group.watch_seconds = numeric(group.watch_seconds) + s.watch_duration_s;
    group.completed_sessions = numeric(group.completed_sessions) + (s.is_completed ? 1 : 0);
    group.rebuffer_count = numeric(group.rebuffer_count) + s.rebuffer_count;
    group.rebuffer_ms = numeric(group.rebuffer_ms) + s.rebuffer_ms;
    group.startup_ms_total = numeric(group.startup_ms_total) + s.startup_ms;
    group.bitrate_kbps_seconds =
      numeric(group.bitrate_kbps_seconds) + s.avg_bitrate_kbps * s.watch_duration_s;
    group.bytes_transferred = numeric(group.bytes_transferred) + numeric(s.bytes_transferred);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export function aggregateContent(
  sessions: readonly Insertable<FactViewingSessionTable>[],
): Insertable<AggDailyContentTable>[] {
  const groups = new Map<string, { row: Insertable<AggDailyContentTable>; viewers: Set<string> }>();
  for (const s of sessions) {
    const key = `${s.date_key}|${s.content_key}`;
    const group = groups.get(key) ?? {
      row: {
        date_key: s.date_key,
        content_key: s.content_key,
        sessions: 0,
        viewers: 0,
        watch_seconds: 0,
        completed_sessions: 0,
        _extracted_at: extractedAt,
      },
      viewers: new Set<string>(),
    };
    group.row.sessions = numeric(group.row.sessions) + 1;
    group.row.watch_seconds = numeric(group.row.watch_seconds) + s.watch_duration_s;
    group.row.completed_sessions = numeric(group.row.completed_sessions) + (s.is_completed ? 1 : 0);
    group.viewers.add(String(s.user_key));
    groups.set(key, group);
  }
  return [...groups.values()].map(({ row, viewers }) => ({ ...row, viewers: viewers.size }));
}
