// The therapist's view in plain words, as pure functions (tested in test/clinic-format.test.ts):
// the order of the patient list, adherence and pain-trend wording, the sparkline, warnings,
// login and invite messages, the limits editor's draft, and the one-time invite link.
import { ApiError } from '../lib/api';
import { longDate } from '../lib/calendar';
import { readMinutes } from '../lib/minutes';
import type { ClearedWarning, Limits, PainPoint, PatientSummary, PatientWarning, StoppedSession } from './clinic-api';

const warningRank: Record<string, number> = { session_stop: 0, red_flag: 1, checkin_warning: 2 };

/** Patients with warnings first (the most serious kind first), then the most recent session first, never-rolled last, then by name. */
export function sortPatients(patients: PatientSummary[]): PatientSummary[] {
  const worst = (p: PatientSummary) => Math.min(99, ...p.warnings.map((w) => warningRank[w.kind] ?? 3));
  return [...patients].sort((a, b) => {
    const aw = a.warnings.length > 0, bw = b.warnings.length > 0;
    if (aw !== bw) return aw ? -1 : 1;
    if (aw && worst(a) !== worst(b)) return worst(a) - worst(b);
    if (a.last_session !== b.last_session) {
      if (a.last_session === null) return 1;
      if (b.last_session === null) return -1;
      return a.last_session < b.last_session ? 1 : -1;
    }
    return a.name.localeCompare(b.name);
  });
}

/** The warnings, most serious kind first, then newest first. */
export function sortWarnings(warnings: PatientWarning[]): PatientWarning[] {
  return [...warnings].sort((a, b) => (warningRank[a.kind] ?? 3) - (warningRank[b.kind] ?? 3) || (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export function warningKindLabel(kind: string): string {
  switch (kind) {
    case 'session_stop':
      return 'Session stopped for a warning sign';
    case 'red_flag':
      return 'Red flag in the screening';
    case 'checkin_warning':
      return 'Warning sign at a check-in';
    default:
      return 'Warning';
  }
}

/** How a warning was lifted: "cleared by Dr Patel on Mon 30 Nov", or for an emergency sign "safety questions answered again on ...". */
export function clearedText(c: ClearedWarning): string {
  const on = c.cleared_on ? ` on ${longDate(c.cleared_on)}` : '';
  if (c.lifted_by === 'screening') return `safety questions answered again${on}`;
  return `cleared${c.cleared_by ? ` by ${c.cleared_by}` : ''}${on}`;
}

const stopWords: Record<string, string> = {
  dizziness: 'felt dizzy',
  feels_wrong: 'something felt wrong',
  numbness_one_leg: 'numbness down one leg',
  numbness_saddle: 'numbness around the bottom or genitals',
  sharp_pain: 'sharp pain',
  pain_high: 'pain too high',
};

/** A stopped session that holds nothing back: "Session stopped on Tue 1 Dec: felt dizzy". */
export function stoppedText(s: StoppedSession): string {
  const why = stopWords[s.event] ?? 'reason not recorded';
  return `Session stopped${s.at ? ` on ${longDate(s.at.slice(0, 10))}` : ''}: ${why}`;
}

/** 0.64 -> "64%"; null or not a number -> "no plan yet". Clamped to 0-100 %. */
export function adherenceText(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'no plan yet';
  return `${Math.round(Math.min(1, Math.max(0, ratio)) * 100)}%`;
}

/** Below half the planned days is worth a look; a level the list marks. */
export function adherenceLevel(ratio: number | null | undefined): 'low' | 'ok' | 'none' {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'none';
  return ratio < 0.5 ? 'low' : 'ok';
}

/**
 * Pain from the first rating to the last, in words. A change under 1 point (of 10) is "steady":
 * smaller changes are within what people report from day to day.
 */
export function painTrendText(trend: PatientSummary['pain_trend']): { text: string; direction: 'better' | 'worse' | 'steady' | 'none' } {
  if (!trend || trend.first === null || trend.last === null || trend.points.length === 0)
    return { text: 'no pain ratings yet', direction: 'none' };
  const change = trend.last - trend.first;
  const span = `${fmt(trend.first)} → ${fmt(trend.last)}`;
  if (Math.abs(change) < 1) return { text: `steady (${span})`, direction: 'steady' };
  return change < 0 ? { text: `better (${span})`, direction: 'better' } : { text: `worse (${span})`, direction: 'worse' };
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * An SVG polyline's points for pain 0-10 over a `width` x `height` box (y grows downwards, 10 at
 * the top), the points spread evenly in date order. One point is drawn as a short flat line.
 */
export function sparklinePoints(points: PainPoint[], width: number, height: number, pad = 2): string {
  const sorted = [...points].filter((p) => Number.isFinite(p.pain)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  if (sorted.length === 0) return '';
  const y = (pain: number) => round(pad + (1 - Math.min(10, Math.max(0, pain)) / 10) * (height - 2 * pad));
  if (sorted.length === 1) return `${pad},${y(sorted[0].pain)} ${width - pad},${y(sorted[0].pain)}`;
  const step = (width - 2 * pad) / (sorted.length - 1);
  return sorted.map((p, i) => `${round(pad + i * step)},${y(p.pain)}`).join(' ');
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** "2026-11-30" -> "30 November 2026"; today and yesterday by name. */
export function lastSessionText(date: string | null, today: string): string {
  if (!date) return 'never';
  if (date === today) return 'today';
  const t = new Date(`${today}T12:00:00Z`);
  t.setUTCDate(t.getUTCDate() - 1);
  if (date === t.toISOString().slice(0, 10)) return 'yesterday';
  return /^\d{4}-\d{2}-\d{2}$/.test(date.slice(0, 10)) ? longDate(date.slice(0, 10)) : date;
}

/** What the login page says for a failed login: the server's own words, which never tell an unknown email from a wrong password. */
export function loginProblem(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 || error.code === 'rate_limited') return rateLimitedText(Number(error.detail.retry_after_s));
    if (error.status === 401 || error.code === 'login_failed') return 'That email and password do not match an account.';
    if (error.code === 'offline') return error.message;
    if (error.status === 400) return error.message;
  }
  return 'Logging in did not work just now. Try again in a moment.';
}

/** 429: when to try again, rounded up to whole minutes from a minute on. */
export function rateLimitedText(retryAfterS: number): string {
  const s = Number.isFinite(retryAfterS) && retryAfterS > 0 ? Math.ceil(retryAfterS) : 0;
  if (s === 0) return 'Too many attempts. Wait a little, then try again.';
  if (s < 60) return `Too many attempts. Try again in ${s} second${s === 1 ? '' : 's'}.`;
  const m = Math.ceil(s / 60);
  return `Too many attempts. Try again in ${m} minute${m === 1 ? '' : 's'}.`;
}

/** Why an invite link cannot be used, without saying whose it was. */
export function inviteProblem(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'invite_used') return 'This invite link has already been used. If that was you, log in; otherwise ask your therapist for a new link.';
    if (error.code === 'invite_expired') return 'This invite link has expired. Ask your therapist for a new one.';
    if (error.status === 404 || error.status === 410) return 'This invite link does not work. Check that you copied all of it, or ask your therapist for a new one.';
    if (error.status === 429) return rateLimitedText(Number(error.detail.retry_after_s));
    if (error.code === 'offline' || error.status === 400) return error.message;
  }
  return 'The invite could not be checked just now. Try again in a moment.';
}

/** The first problem with a new password, or '' when it will do. The server has the last word. */
export function passwordProblem(password: string, repeat: string): string {
  if (password.length < 10) return 'Choose a password of at least 10 characters.';
  if (password !== repeat) return 'The two passwords are not the same.';
  return '';
}

/** The one-time link to give a patient: the server's "/invite/<token>" as this app's hash route, on this origin. */
export function inviteUrl(link: string, origin: string): string {
  if (/^https?:\/\//.test(link)) return link;
  const token = link.replace(/^\/?#?\/?invite\//, '');
  return `${origin.replace(/\/$/, '')}/#/invite/${token}`;
}

/** The limits editor's form state: text fields stay text until saved. */
export interface LimitsDraft {
  excludedZones: string[];
  maxMinutes: string;
  roller: '' | 'soft' | 'medium' | 'firm';
  /** '' is no limit: moderate pressure at most, the plan's usual ceiling. */
  pressure: '' | 'gentle';
  exercisesOff: string[];
}

export function limitsDraft(limits: Limits | null): LimitsDraft {
  return {
    excludedZones: [...(limits?.excluded_zones ?? [])],
    maxMinutes: limits?.max_minutes ? String(limits.max_minutes) : '',
    roller: limits?.roller ?? '',
    pressure: limits?.pressure === 'gentle' ? 'gentle' : '',
    exercisesOff: [...(limits?.exercises_off ?? [])],
  };
}

/** The PUT body, or the first thing to fix. Minutes are whole numbers from 1 to 60; empty means no limit. */
export function limitsRequest(draft: LimitsDraft): { problem: string } | { limits: Limits } {
  const minutes = readMinutes(draft.maxMinutes, 'Longest session');
  if ('problem' in minutes) return minutes;
  return {
    limits: {
      excluded_zones: [...new Set(draft.excludedZones)].sort(),
      max_minutes: minutes.minutes,
      roller: draft.roller || null,
      pressure: draft.pressure || null,
      exercises_off: [...new Set(draft.exercisesOff)].sort(),
    },
  };
}

/** "Set by Jo Smith on 1 December 2026", or that nothing is set. */
export function limitsSetByText(limits: Limits | null): string {
  if (!limits?.set_by) return 'No limits set yet: the plan follows the screening alone.';
  const on = limits.set_on && /^\d{4}-\d{2}-\d{2}$/.test(limits.set_on) ? ` on ${longDate(limits.set_on)}` : '';
  return `Set by ${limits.set_by}${on}.`;
}

/** A plan note that a clinician or therapist set (the server's words end "... set this (...)"). */
export function isSetByClinician(note: string): boolean {
  return /your (therapist|clinician) set this/i.test(note);
}

/** One line of the patient detail's sessions, check-ins or screenings lists. */
export interface RowLine {
  date: string;
  text: string;
  warn: boolean;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function dateOf(row: Record<string, unknown>, ...keys: string[]): string {
  for (const key of [...keys, 'at', 'recorded_at']) {
    const v = str(row[key]);
    if (/^\d{4}-\d{2}-\d{2}/.test(v)) return v.slice(0, 10);
  }
  return '';
}

/** A history entry ({kind, id, at, summary, detail}) or a bare record, as one flat object: the detail's fields win. */
function flat(row: Record<string, unknown>): Record<string, unknown> {
  const detail = row.detail && typeof row.detail === 'object' && !Array.isArray(row.detail) ? (row.detail as Record<string, unknown>) : {};
  return { ...row, ...detail };
}

function zoneIds(zones: unknown): string[] {
  if (typeof zones === 'string') return zones.split(',').map((z) => z.trim()).filter(Boolean);
  if (Array.isArray(zones))
    return (zones as { zone?: string; seconds?: number }[]).filter((z) => z.zone && (z.seconds ?? 1) > 0).map((z) => z.zone as string);
  return [];
}

/** A session (history entry or record): how long, how it ended, the zones rolled, pain before and after. */
export function sessionLine(row: Record<string, unknown>, zoneName: (id: string) => string = (id) => id.replace(/_/g, ' ')): RowLine {
  const r = flat(row);
  let minutes: number | null = null;
  if (typeof r.seconds === 'number') minutes = Math.round(r.seconds / 6) / 10;
  else {
    const start = Date.parse(str(r.started_at)), end = Date.parse(str(r.ended_at));
    if (Number.isFinite(start) && Number.isFinite(end) && end >= start) minutes = Math.round((end - start) / 6000) / 10;
  }
  const reason = str(r.end_reason);
  const zones = zoneIds(r.zones).map(zoneName);
  const before = typeof r.pain_before === 'number' ? r.pain_before : null;
  const after = typeof r.pain_after === 'number' ? r.pain_after : null;
  const pain = before !== null && after !== null ? `pain ${before} → ${after}` : before !== null ? `pain before ${before}` : after !== null ? `pain after ${after}` : '';
  const parts = [minutes !== null ? `${minutes} min` : '', reason ? endReasonText(reason) : '', zones.join(', '), pain].filter(Boolean);
  return {
    date: dateOf(r, 'started_at'),
    text: parts.join(' · ') || str(r.summary) || 'session',
    warn: reason === 'stopped_warning' || /emergency|numb|sharp/.test(reason),
  };
}

export function endReasonText(reason: string): string {
  switch (reason) {
    case 'completed':
      return 'finished';
    case 'quit':
      return 'ended early';
    case 'stopped_warning':
      return 'stopped for a warning sign';
    default:
      return reason.replace(/_/g, ' ');
  }
}

/** A check-in record: soreness and whether it reported a warning sign. */
export function checkinLine(row: Record<string, unknown>): RowLine {
  const r = flat(row);
  const warn = r.warning_sign === true;
  const soreness = typeof r.soreness === 'number' ? `soreness ${r.soreness} of 10` : '';
  return {
    date: dateOf(r),
    text: [soreness, warn ? 'warning sign reported' : 'no warning sign'].join(' · '),
    warn,
  };
}

/** A screening record: its tier in the words the patient saw. */
export function screeningLine(row: Record<string, unknown>, headline: (tier: string) => string): RowLine {
  const r = flat(row);
  const tier = str(r.tier);
  return {
    date: dateOf(r, 'taken_at'),
    text: tier ? headline(tier) : str(r.summary) || 'screening',
    warn: tier !== '' && tier !== 'proceed' && tier !== 'proceed_with_changes',
  };
}

/** The patients whose name or email holds every word typed (any case, any order). */
export function filterPatients(patients: PatientSummary[], query: string): PatientSummary[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return patients;
  return patients.filter((p) => {
    const text = `${p.name} ${p.email}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** An audit action in words: "read_patient" -> "opened the record". */
export function auditActionText(action: string): string {
  const known: Record<string, string> = {
    read_patient: 'opened the record',
    read_limits: 'read the plan limits',
    change_limits: 'changed the plan limits',
    read_clearances: 'read the clearances',
    add_clearance: 'recorded a clearance',
    report: 'downloaded the report',
    export: 'downloaded an export',
    denied: 'was refused',
  };
  return known[action] ?? action.replace(/_/g, ' ');
}

/** "2026-12-01T09:30:00Z" -> "1 December 2026, 09:30 UTC"; other text as it is. */
export function auditTime(at: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(at);
  return m ? `${longDate(m[1])}, ${m[2]} UTC` : at;
}
