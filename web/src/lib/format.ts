// Small formatting helpers shared by the screens (pure, tested in test/format.test.ts).

import { longDate } from './calendar';

/** 65_000 -> "1:05"; negative values show as "0:00". Rounds up so a countdown never shows 0:00 early. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${seconds.toString().padStart(2, '0')}`;
}

/** 90 -> "1 min 30 s", 60 -> "1 min", 45 -> "45 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  if (minutes === 0) return `${rest} s`;
  if (rest === 0) return `${minutes} min`;
  return `${minutes} min ${rest} s`;
}

export type Tier =
  | 'proceed'
  | 'proceed_with_changes'
  | 'clinician_before_rolling'
  | 'clinician_soon'
  | 'clinician_today'
  | 'emergency';

const tierOrder: Tier[] = [
  'proceed',
  'proceed_with_changes',
  'clinician_before_rolling',
  'clinician_soon',
  'clinician_today',
  'emergency',
];

/** A stop tier ends the flow: no plan, no session. */
export function isStopTier(tier: string): boolean {
  const index = tierOrder.indexOf(tier as Tier);
  return index < 0 || index >= tierOrder.indexOf('clinician_before_rolling');
}

/** The headline a person sees for a verdict tier. */
export function tierHeadline(tier: string): string {
  switch (tier) {
    case 'proceed':
      return 'You can roll today';
    case 'proceed_with_changes':
      return 'You can roll today, with some changes';
    case 'clinician_before_rolling':
      return 'Please see a clinician before you start rolling';
    case 'clinician_soon':
      return 'Please see a doctor soon. No rolling for now';
    case 'clinician_today':
      return 'Please get medical advice today. No rolling';
    case 'emergency':
      return 'Get urgent medical help now';
    default:
      return 'We could not decide: some answers are missing';
  }
}

/** Snake-case ids to words: "glutes_and_hips" -> "glutes and hips". */
export function words(id: string): string {
  return id.replace(/_/g, ' ');
}

/** A date as YYYY-MM-DD in local time. */
export function localDateKey(date: Date): string {
  const y = date.getFullYear();
  const m = (date.getMonth() + 1).toString().padStart(2, '0');
  const d = date.getDate().toString().padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/**
 * The journal's numbers of the sessions a pain chart shows: the stats carry the latest `shown`
 * of `total`, so after 58 sessions the chart's last point is session 58, not 14.
 */
export function latestSessionNumbers(shown: number, total: number): number[] {
  const first = Math.max(total, shown) - shown + 1;
  return Array.from({ length: shown }, (_, i) => first + i);
}

/** The next-day soreness line on History: "1 check-in in two weeks, average 3.0 of 10." */
export function sorenessSummary(count: number, average: number | null): string {
  return `${count} ${count === 1 ? 'check-in' : 'check-ins'} in two weeks, average ${average?.toFixed(1) ?? '-'} of 10.`;
}

/**
 * The soreness card with no check-in in its 14 days: "yet" only when there has never been one.
 * `lastCheckinAt` is the stats' `last_checkin_at` (UTC, ISO 8601) or null; the date is the person's own.
 */
export function noRecentCheckinsText(lastCheckinAt: string | null | undefined): string {
  const last = lastCheckinAt ? new Date(lastCheckinAt) : null;
  if (!last || Number.isNaN(last.getTime())) return 'No check-ins yet.';
  return `No check-ins in the last 14 days. The last was on ${longDate(localDateKey(last))}.`;
}

/** The pain chart's heading: every session, or the latest ones when there are more. */
export function painChartTitle(shown: number, total: number): string {
  return total > shown ? `Pain before and after your last ${shown} sessions` : 'Pain before and after each session';
}
