// A stale CSRF token (clinic mode): a state change refused with 403 {"error": "csrf"} asks
// GET /api/me for the login's current token and is sent once more; the clinic's requests and the
// patient's go through the same lib/api.ts, so both are covered here. Against a fetch that answers
// as the server does: it accepts only the token it holds now.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, csrfTokenInUse, postJson, putJson, setCsrfToken, staleTokenMessage } from '../src/lib/api';
import { saveLimits } from '../src/clinic/clinic-api';

interface Call {
  url: string;
  method: string;
  token: string | undefined;
}

let calls: Call[] = [];
let serverToken = 'current';
let meAnswer: { status: number; body: unknown } | null = null;
let refuseEveryToken = false;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status });
}

beforeEach(() => {
  calls = [];
  serverToken = 'current';
  meAnswer = null;
  refuseEveryToken = false;
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    const token = (init.headers as Record<string, string> | undefined)?.['X-CSRF-Token'];
    calls.push({ url, method, token });
    if (url === '/api/me') {
      if (meAnswer) return json(meAnswer.status, meAnswer.body);
      return json(200, { role: 'patient', name: 'Ann', csrf: serverToken });
    }
    if (method !== 'GET' && (refuseEveryToken || token !== serverToken))
      return json(403, { error: { code: 'csrf', message: 'This change was refused: the page\'s security token is missing or out of date.' } });
    return json(200, { ok: true, url });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('a stale CSRF token', () => {
  it('is refreshed from /api/me and the patient\'s request is sent once more with the new token', async () => {
    setCsrfToken('from-before-the-renewal');
    serverToken = 'renewed';
    await expect(postJson('/api/checkin', { soreness: 2 })).resolves.toEqual({ ok: true, url: '/api/checkin' });
    expect(calls.map((c) => `${c.method} ${c.url} ${c.token ?? '-'}`)).toEqual([
      'POST /api/checkin from-before-the-renewal',
      'GET /api/me -',
      'POST /api/checkin renewed',
    ]);
    expect(csrfTokenInUse()).toBe('renewed');
    // The next change uses the new token at once, without asking again.
    await postJson('/api/notes', { text: 'x' });
    expect(calls).toHaveLength(4);
  });

  it('is refreshed for the therapist\'s clinic requests too (one implementation)', async () => {
    setCsrfToken(null); // a page that never had one
    const limits = { excluded_zones: [], max_minutes: 10, roller: null, pressure: null, exercises_off: [] };
    await expect(saveLimits('p_3', limits)).resolves.toMatchObject({ ok: true });
    expect(calls.map((c) => c.method)).toEqual(['PUT', 'GET', 'PUT']);
    expect(calls[2].token).toBe('current');
  });

  it('is tried once only: a second refusal is a clear error, not a loop', async () => {
    setCsrfToken('old');
    refuseEveryToken = true;
    const error = await putJson('/api/profile', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect((error as ApiError).code).toBe('csrf');
    expect((error as ApiError).message).toBe(staleTokenMessage);
    expect(calls.map((c) => c.method)).toEqual(['PUT', 'GET', 'PUT']);
  });

  it('ends in the login page\'s 401 when the login itself is gone', async () => {
    setCsrfToken('old');
    serverToken = 'other';
    meAnswer = { status: 401, body: { error: { code: 'unauthorized', message: 'Log in first.' } } };
    const loggedOut = vi.fn();
    vi.stubGlobal('window', Object.assign(new EventTarget(), { location: { protocol: 'http:', host: 'x' } }));
    window.addEventListener('rc-logged-out', loggedOut);
    const error = await postJson('/api/checkin', {}).catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
    expect(loggedOut).toHaveBeenCalledTimes(1);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('leaves other refusals alone: a 403 that is not about the token is not retried', async () => {
    setCsrfToken('current');
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      calls.push({ url, method: init.method ?? 'GET', token: undefined });
      return json(403, { error: { code: 'forbidden', message: 'A therapist cannot do this.' } });
    });
    const error = await postJson('/api/screening', {}).catch((e: unknown) => e);
    expect((error as ApiError).code).toBe('forbidden');
    expect(calls).toHaveLength(1);
  });
});
