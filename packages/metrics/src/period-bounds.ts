import type { PeriodBounds } from './metric-source.ts';

const dayMs = 86_400_000;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayKey = (iso: string) => Number(iso.replaceAll('-', ''));

/** The current period `from..to` (inclusive) and the previous one: same length, immediately before. */
export function periodBounds(range: { readonly from: string; readonly to: string }): PeriodBounds {
  const fromMs = Date.parse(`${range.from}T00:00:00Z`);
  const toMs = Date.parse(`${range.to}T00:00:00Z`);
  const days = Math.round((toMs - fromMs) / dayMs) + 1;
  const previousTo = isoDay(fromMs - dayMs);
  const previousFrom = isoDay(fromMs - days * dayMs);
  return {
    from: range.from,
    to: range.to,
    previousFrom,
    previousTo,
    fromKey: dayKey(range.from),
    toKey: dayKey(range.to),
    previousFromKey: dayKey(previousFrom),
    previousToKey: dayKey(previousTo),
    days,
  };
}
