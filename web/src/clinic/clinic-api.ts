// The clinic API of `rollcoach serve --clinic` (docs/clinic.md): accounts, invites and the
// therapist's routes. Only the requests live here; lib/api.ts sends them (with the CSRF token)
// and turns error answers into ApiError.
import { getJson, postJson, putJson, sendJson, setCsrfToken, type Clearance, type ClearanceRequest } from '../lib/api';
import type { StatsDoc } from '../screens/history-screen';

export type Role = 'therapist' | 'patient';

export interface Account {
  role: Role;
  name: string;
  email?: string;
  csrf: string;
  patient_id?: string;
}

export interface Invite {
  name: string;
  email: string;
  expires: string;
}

export type WarningKind = 'red_flag' | 'checkin_warning' | 'session_stop';

export interface PatientWarning {
  kind: WarningKind | string;
  tier: string;
  rule_id: string;
  at: string;
  text: string;
}

/** A warning a clinician's clearance, or for an emergency sign a screening taken since, has lifted. */
export interface ClearedWarning extends PatientWarning {
  cleared_by: string | null;
  cleared_on: string;
  lifted_by?: 'clearance' | 'screening';
}

/** A session stopped for a reason that holds nothing back (dizziness, "feels wrong", an earlier stop since lifted or rolled past). */
export interface StoppedSession {
  at: string;
  rule_id: string;
  event: string;
}

export interface PainPoint {
  date: string;
  pain: number;
}

export interface PatientSummary {
  id: string;
  name: string;
  email: string;
  last_session: string | null;
  adherence_4w: number | null;
  pain_trend: { first: number | null; last: number | null; points: PainPoint[] } | null;
  warnings: PatientWarning[];
  cleared?: ClearedWarning[];
  stopped?: StoppedSession[];
}

/** A therapist's limits for one patient; the patient's plan obeys them. */
export interface Limits {
  excluded_zones: string[];
  max_minutes: number | null;
  roller: 'soft' | 'medium' | 'firm' | null;
  pressure: 'gentle' | 'moderate' | null;
  exercises_off: string[];
  set_by?: string | null;
  set_on?: string | null;
}

/** A session, check-in or screening row as the detail lists them; fields beyond these are shown if present. */
export type Row = Record<string, unknown>;

export interface PatientDetail {
  patient: PatientSummary;
  stats: StatsDoc | null;
  sessions: Row[];
  checkins: Row[];
  screenings: Row[];
  /** The clearances on record; may also be the whole GET /api/clearance answer ({clearances, flagged, valid_months}). */
  clearances: Clearance[] | { clearances: Clearance[]; flagged?: unknown[]; valid_months?: number };
  limits: Limits | null;
  /**
   * How much of the journal the sessions, check-ins and screenings come from: the newest `limit`
   * of each kind; `complete_kinds` says which lists are all there is (`complete`: all three).
   */
  history?: { limit: number; complete: boolean; complete_kinds?: { sessions: boolean; checkins: boolean; screenings: boolean } };
}

export const clinicPaths = {
  patients: '/api/clinic/patients',
  patient: (id: string, history?: number) =>
    `/api/clinic/patients/${encodeURIComponent(id)}${history ? `?history=${history}` : ''}`,
  limits: (id: string) => `/api/clinic/patients/${encodeURIComponent(id)}/limits`,
  clearance: (id: string) => `/api/clinic/patients/${encodeURIComponent(id)}/clearance`,
  report: (id: string, utcOffsetS: number) => `/api/clinic/patients/${encodeURIComponent(id)}/report.pdf?utc_offset=${utcOffsetS}`,
  export: (id: string, format: 'fhir' | 'json' | 'csv') => `/api/clinic/patients/${encodeURIComponent(id)}/export?format=${format}`,
  invites: '/api/clinic/invites',
  audit: (id: string) => `/api/clinic/audit?patient=${encodeURIComponent(id)}`,
  invite: (token: string) => `/api/invite/${encodeURIComponent(token)}`,
};

/**
 * Deletes every API answer the service worker kept for offline use (public/sw.js caches API
 * reads), keeping the app's own files. On a clinic's shared computer the next person must not
 * be shown the last one's patients or journal, even offline. Called at login, logout and when
 * the session runs out.
 */
export async function forgetCachedAnswers(): Promise<void> {
  if (typeof caches === 'undefined') return;
  try {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) if (new URL(request.url).pathname.startsWith('/api/')) await cache.delete(request);
    }
  } catch {
    // Storage the browser refuses to open has nothing of ours in it.
  }
}

/** Logs in; the CSRF token of the new session is kept for every later state change. */
export async function logIn(email: string, password: string): Promise<Account> {
  const account = await postJson<Account>('/api/login', { email, password });
  setCsrfToken(account.csrf);
  await forgetCachedAnswers();
  return account;
}

export async function logOut(): Promise<void> {
  try {
    await sendJson<void>('POST', '/api/logout');
  } finally {
    setCsrfToken(null);
    await forgetCachedAnswers();
  }
}

/** Who is logged in (and the session's CSRF token, which a reloaded page no longer has). Throws ApiError 401 when nobody is. */
export async function whoAmI(): Promise<Account> {
  const account = await getJson<Account>('/api/me');
  setCsrfToken(account.csrf);
  return account;
}

export function findInvite(token: string): Promise<Invite> {
  return getJson<Invite>(clinicPaths.invite(token));
}

/** Accepts an invite: the patient's account is created with this password and logged in. */
export async function acceptInvite(token: string, password: string): Promise<Account> {
  const account = await postJson<Account>(clinicPaths.invite(token), { password });
  setCsrfToken(account.csrf);
  await forgetCachedAnswers();
  return account;
}

export async function listPatients(): Promise<PatientSummary[]> {
  return (await getJson<{ patients: PatientSummary[] }>(clinicPaths.patients)).patients;
}

/** `history`: how many of the newest journal entries to list (the server's first page when not given). */
export function findPatient(id: string, history?: number): Promise<PatientDetail> {
  return getJson<PatientDetail>(clinicPaths.patient(id, history));
}

export function saveLimits(id: string, limits: Limits): Promise<Limits> {
  return putJson<Limits>(clinicPaths.limits(id), limits);
}

export function recordClearance(id: string, request: ClearanceRequest): Promise<Clearance> {
  return postJson<Clearance>(clinicPaths.clearance(id), request);
}

export function invitePatient(name: string, email: string): Promise<{ link: string; expires: string }> {
  return postJson<{ link: string; expires: string }>(clinicPaths.invites, { name, email });
}

export interface AuditEntry {
  at: string;
  therapist: string;
  action: string;
  patient: string | null;
  route: string;
}

/** Who read or changed this patient's record, and when (the clinic's audit log). */
export async function listAudit(id: string): Promise<AuditEntry[]> {
  return (await getJson<{ entries: AuditEntry[] }>(clinicPaths.audit(id))).entries;
}
