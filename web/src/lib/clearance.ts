// A clinician's clearance, as the web form builds it: pure, tested in test/clearance.test.ts.
// The server decides what a clearance may cover and what it lifts (src/coach/clearance.h); the
// form only checks what a person can fix before sending (a name, a date, at least one flag).
import type { ClearanceRequest, Flag } from './api';
import { readMinutes } from './minutes';

export interface ClearanceDraft {
  by: string;
  on: string;
  covers: string[];
  softRoller: boolean;
  gentlePressure: boolean;
  leaveOut: string[];
  maxMinutes: string;
  note: string;
}

export function emptyDraft(flags: Flag[]): ClearanceDraft {
  return {
    by: '',
    on: '',
    // Every flag that can be covered and is not yet: the usual case is "the clinician saw all of it".
    covers: flags.filter((f) => f.clearable && f.covered_by === null).map((f) => f.rule_id),
    softRoller: false,
    gentlePressure: false,
    leaveOut: [],
    maxMinutes: '',
    note: '',
  };
}

/** The flags a clearance can cover now: not an emergency sign, not already covered. */
export function coverable(flags: Flag[]): Flag[] {
  return flags.filter((f) => f.clearable && f.covered_by === null);
}

/** A message for the first thing to fix, or the request to send. `today` is YYYY-MM-DD. */
export function clearanceRequest(draft: ClearanceDraft, today: string): { problem: string } | { request: ClearanceRequest } {
  const by = draft.by.trim();
  if (!by) return { problem: 'Say who cleared you, for example "Dr Patel, GP".' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.on)) return { problem: 'Give the date the clinician saw you.' };
  if (draft.on > today) return { problem: 'The date cannot be in the future.' };
  if (draft.covers.length === 0) return { problem: 'Tick the flagged answers the clinician looked at.' };
  const limits: ClearanceRequest['limits'] = {};
  if (draft.softRoller) limits.soft_roller_only = true;
  if (draft.gentlePressure) limits.gentle_pressure_only = true;
  if (draft.leaveOut.length) limits.excluded_zones = [...draft.leaveOut];
  const minutes = readMinutes(draft.maxMinutes, 'Shorter sessions');
  if ('problem' in minutes) return minutes;
  if (minutes.minutes !== null) limits.max_session_minutes = minutes.minutes;
  const request: ClearanceRequest = { by, on: draft.on, covers: [...draft.covers], limits };
  if (draft.note.trim()) request.note = draft.note.trim();
  return { request };
}

/** Today as YYYY-MM-DD in the person's own time zone. */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
