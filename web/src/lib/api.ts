// The JSON API of `rollcoach serve`. Every error answer, the clinic's routes' included, is
// {"error": {"code", "message", ...}}; this turns it into an ApiError whose message can be shown
// as it is. In clinic mode (docs/clinic.md) every state-changing request
// carries the session's CSRF token in X-CSRF-Token; in single-user mode there is none and no
// such header is sent.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error object: a plan refusal (409) adds kind, tier, reason, what_to_do, clearable. */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ApiError(response.status, 'bad_response', `The server sent something that is not JSON (HTTP ${response.status}).`);
  }
  if (!response.ok) {
    // Clinic mode: the session ran out or was ended elsewhere; the app shows the login again.
    if (response.status === 401 && csrfToken && typeof window !== 'undefined') {
      csrfToken = null;
      window.dispatchEvent(new Event('rc-logged-out'));
    }
    throw errorOf(response.status, body);
  }
  return body as T;
}

/** An error answer, {"error": {"code", "message", ...}}: its extra fields (a 409's tier, a 429's retry_after_s) in `detail`. */
export function errorOf(status: number, body: unknown): ApiError {
  const fallback = `The server answered HTTP ${status}.`;
  const raw = (body as { error?: unknown } | undefined)?.error;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const error = raw as { code?: unknown; message?: unknown };
    return new ApiError(
      status,
      typeof error.code === 'string' ? error.code : 'http_error',
      typeof error.message === 'string' ? error.message : fallback,
      error as Record<string, unknown>,
    );
  }
  return new ApiError(status, 'http_error', fallback);
}

let csrfToken: string | null = null;

/** Clinic mode: the token from login or GET /api/me, sent with every POST, PUT and DELETE. Null clears it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function csrfTokenInUse(): string | null {
  return csrfToken;
}

/** The headers of a state-changing JSON request. */
export function writeHeaders(): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return headers;
}

/** Tells the app (its offline banner) that a request could not reach the server. */
function unreachable(): ApiError {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event('rc-unreachable'));
  return new ApiError(0, 'offline', 'Cannot reach the rollcoach server. Is `rollcoach serve` still running?');
}

/**
 * Whether the server answers right now. /api/health is never answered from the offline cache
 * (public/sw.js), unlike the other reads, which fall back to the last answer.
 */
export async function serverReachable(): Promise<boolean> {
  try {
    const response = await fetch('/api/health', { cache: 'no-store', credentials: 'same-origin' });
    return response.ok;
  } catch {
    return false;
  }
}

export async function getJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    throw unreachable();
  }
  return parse<T>(response);
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return sendJson<T>('POST', path, body);
}

export async function putJson<T>(path: string, body: unknown): Promise<T> {
  return sendJson<T>('PUT', path, body);
}

async function send(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      headers: writeHeaders(),
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw unreachable();
  }
}

/** Whether a response is the clinic server's 403 with the code "csrf": the token this page sent is missing or out of date. */
async function refusedForCsrf(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  try {
    return errorOf(403, JSON.parse(await response.clone().text())).code === 'csrf';
  } catch {
    return false;
  }
}

export const staleTokenMessage =
  'The server refused this change twice because the page\'s security token is out of date. Nothing was changed: reload the page, or log out and in again, and try once more.';

/**
 * A state-changing request; `body` undefined sends none (POST /api/logout).
 *
 * Clinic mode: a 403 whose code is "csrf" means the token the page holds is out of date (the login
 * was renewed in another tab, or the server forgot it) and that the server changed nothing. The
 * page then asks GET /api/me for the login's current token and sends the request once more; a
 * second refusal is an ApiError with staleTokenMessage. A 401 from /api/me (the login itself is
 * gone) is thrown as it is, and the app shows the login page.
 */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body);
  if (await refusedForCsrf(response)) {
    const me = await getJson<{ csrf?: unknown }>('/api/me');
    if (typeof me?.csrf !== 'string' || me.csrf === '') throw new ApiError(403, 'csrf', staleTokenMessage);
    setCsrfToken(me.csrf);
    response = await send(method, path, body);
    if (await refusedForCsrf(response)) throw new ApiError(403, 'csrf', staleTokenMessage);
  }
  return parse<T>(response);
}

/** ws://host/ws/<name> on the page's own origin (the token travels in the rc_token cookie). */
export function websocketUrl(name: string, location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/${name}`;
}

export interface Source {
  id: string;
  citation: string;
  note: string;
}

export interface Zone {
  id: string;
  /** The knowledge base's whole name, anatomy in brackets: "Upper and mid back (thoracic spine)". */
  name: string;
  /** What a person is shown: "Upper and mid back" (the server's kb::plain_name). */
  plain_name: string;
  status: 'target' | 'caution' | 'no-go' | string;
  region: string;
  why: string;
  sources: Source[];
}

export interface Tool {
  id: string;
  name: string;
  firmness: string;
  suits_beginners: boolean;
  suits_high_sensitivity: boolean;
  whole_back_session: boolean;
  good_for: string;
  not_for: string;
  sources: Source[];
}

export interface KnowledgeBase {
  zones: Zone[];
  tools: Tool[];
  exercises: { id: string; name: string; target_zones: string[]; why: string; sources: Source[] }[];
  rules: { id: string; title: string; statement: string; why: string; sources: Source[] }[];
  sources: Source[];
}

export interface Explanation {
  id: string;
  kind: string;
  title: string;
  text: string;
  sources: Source[];
}

export interface Question {
  id: string;
  text: string;
  help: string;
  type: 'yes_no' | 'choice' | 'number' | string;
  choices: { id: string; label: string }[];
  min?: number;
  max?: number;
  unit?: string;
  /** Check-in: not asked once the earlier question `question` is answered `is` (the server fills it in). */
  not_asked_when?: { question: string; is: string };
}

export interface Reason {
  rule_id: string;
  tier: string;
  message: string;
  what_to_do: string;
  sources: Source[];
}

export interface Verdict {
  tier: string;
  stop?: boolean;
  complete?: boolean;
  headline?: string;
  reasons: Reason[];
  changes: { excluded_zones: string[]; soft_roller_only: boolean; gentle_pressure_only: boolean; max_session_seconds?: number };
  missing_answers: string[];
}

/** A flagged answer on record (GET /api/clearance): what a clinician's clearance may cover. */
export interface Flag {
  rule_id: string;
  tier: string;
  message: string;
  clearable: boolean;
  covered_by: number | null;
  raised_on: string | null;
}

export interface ClearanceLimits {
  excluded_zones: string[];
  soft_roller_only: boolean;
  gentle_pressure_only: boolean;
  max_session_minutes: number | null;
}

export interface Clearance {
  id: number;
  recorded_at: string;
  status: 'in_force' | 'expired' | 'not_yet' | 'bare';
  by?: string;
  on?: string;
  expires_on?: string;
  covers?: { rule_id: string; message: string }[];
  limits?: ClearanceLimits;
  note?: string;
}

export interface ClearanceList {
  clearances: Clearance[];
  flagged: Flag[];
  valid_months: number;
}

/** Why GET /api/plan refused (ApiError.detail of its 409): the same words every front-end shows. */
export interface PlanRefusal {
  kind: 'no_screening' | 'unfinished' | 'stop_tier' | 'warning_sign' | 'session_stop';
  tier: string | null;
  reason: string;
  what_to_do: string;
  clearable: string[];
  /** session_stop: what to do before rolling again, without the CLI's command. */
  advice?: string;
}

/** The request POST /api/clearance takes. */
export interface ClearanceRequest {
  by: string;
  on: string;
  covers: string[];
  limits: Partial<ClearanceLimits>;
  note?: string;
}
