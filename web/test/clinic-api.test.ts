// The API wrapper in clinic mode, against a fetch that records what it was asked: the CSRF token
// goes with every state change once a session has one, never before (single-user mode).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, getJson, postJson, putJson, setCsrfToken, staleTokenMessage } from '../src/lib/api';
import { acceptInvite, findPatient, forgetCachedAnswers, logIn, logOut, saveLimits, whoAmI } from '../src/clinic/clinic-api';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

let calls: Call[] = [];
let answers: { status: number; body: unknown }[] = [];

/** The ApiError a request failed with (the test fails if it did not fail). */
async function failure(request: Promise<unknown>): Promise<ApiError> {
  try {
    await request;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('the request did not fail');
}

function answer(status: number, body: unknown) {
  answers.push({ status, body });
}

beforeEach(() => {
  calls = [];
  answers = [];
  setCsrfToken(null);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = answers.shift() ?? { status: 200, body: {} };
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), { status: next.status });
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('single-user mode', () => {
  it('sends no CSRF header when no session has given one', async () => {
    await postJson('/api/checkin', { a: 1 });
    expect(calls[0].method).toBe('POST');
    expect(calls[0].headers).not.toHaveProperty('X-CSRF-Token');
    expect(calls[0].headers['Content-Type']).toBe('application/json');
  });

  it('reads the single-user error shape', async () => {
    answer(409, { error: { code: 'stop_tier', message: 'No plan today.', tier: 'emergency' } });
    const error = await failure(getJson('/api/plan'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('stop_tier');
    expect(error.message).toBe('No plan today.');
    expect(error.detail.tier).toBe('emergency');
  });
});

describe('clinic mode', () => {
  it('keeps the token from login and sends it with every POST and PUT, never with a GET', async () => {
    answer(200, { role: 'therapist', name: 'Jo', csrf: 'tok-1' });
    const account = await logIn('jo@example.org', 'secret secret');
    expect(account.role).toBe('therapist');
    expect(calls[0].body).toEqual({ email: 'jo@example.org', password: 'secret secret' });
    expect(calls[0].headers).not.toHaveProperty('X-CSRF-Token');

    await getJson('/api/clinic/patients');
    await saveLimits('p_1', { excluded_zones: [], max_minutes: 5, roller: null, pressure: null, exercises_off: [] });
    await postJson('/api/clinic/invites', { name: 'A', email: 'a@example.org' });
    expect(calls[1].headers).not.toHaveProperty('X-CSRF-Token');
    expect(calls[2]).toMatchObject({ method: 'PUT', url: '/api/clinic/patients/p_1/limits', headers: { 'X-CSRF-Token': 'tok-1' } });
    expect(calls[3]).toMatchObject({ method: 'POST', headers: { 'X-CSRF-Token': 'tok-1' } });
  });

  it('takes the token from /api/me after a reload and from an accepted invite', async () => {
    answer(200, { role: 'patient', name: 'Ann', email: 'ann@example.org', csrf: 'from-me', patient_id: 'p_2' });
    await whoAmI();
    await putJson('/x', {});
    expect(calls[1].headers['X-CSRF-Token']).toBe('from-me');

    answer(200, { role: 'patient', name: 'Ann', csrf: 'from-invite' });
    await acceptInvite('abc/def', 'a long password');
    expect(calls[2].url).toBe('/api/invite/abc%2Fdef');
    await postJson('/y', {});
    expect(calls[3].headers['X-CSRF-Token']).toBe('from-invite');
  });

  it('logs out with the token and forgets it, even when the server refuses', async () => {
    setCsrfToken('tok-2');
    answer(204, undefined);
    await logOut();
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/api/logout', headers: { 'X-CSRF-Token': 'tok-2' } });
    await postJson('/z', {});
    expect(calls[1].headers).not.toHaveProperty('X-CSRF-Token');

    setCsrfToken('tok-3');
    answer(403, { error: { code: 'csrf', message: 'The page is out of date: reload it.' } });
    answer(401, { error: { code: 'unauthorized', message: 'Log in first.' } }); // GET /api/me for a fresh token
    await expect(logOut()).rejects.toBeInstanceOf(ApiError);
    await postJson('/z', {});
    expect(calls[3].url).toBe('/api/me');
    expect(calls[4].headers).not.toHaveProperty('X-CSRF-Token');
  });

  it('reads a clinic error, {"error": {"code", "message"}} like every other, with its extra fields', async () => {
    answer(429, { error: { code: 'rate_limited', message: 'Too many failed logins. Try again in 42 seconds.', retry_after_s: 42 } });
    const error = await failure(logIn('a@example.org', 'x'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.code).toBe('rate_limited');
    expect(error.detail.retry_after_s).toBe(42);

    answer(403, { error: { code: 'csrf', message: 'Missing token.' } });
    answer(200, { role: 'therapist', name: 'Jo', csrf: 'fresh' });
    answer(403, { error: { code: 'csrf', message: 'Missing token.' } });
    const refused = await failure(postJson('/api/clinic/invites', {}));
    expect(refused.code).toBe('csrf');
    expect(refused.message).toBe(staleTokenMessage);
  });

  it('turns an unreachable server into the offline error', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await failure(logIn('a@example.org', 'x'));
    expect(error.code).toBe('offline');
  });
});

describe('the patient detail', () => {
  it("asks for the server's first page of history, and for more entries only when told how many", async () => {
    await findPatient('p_12');
    await findPatient('p_12', 500);
    expect(calls.map((c) => c.url)).toEqual(['/api/clinic/patients/p_12', '/api/clinic/patients/p_12?history=500']);
  });
});

describe('the offline cache on a shared computer', () => {
  /** A CacheStorage holding the app shell and API answers, as public/sw.js leaves it. */
  function fakeCaches(urls: string[]) {
    const entries = new Set(urls);
    const cache = {
      keys: async () => [...entries].map((url) => new Request(url)),
      delete: async (request: Request) => entries.delete(request.url),
    };
    vi.stubGlobal('caches', { keys: async () => ['rollcoach-v2'], open: async () => cache });
    return entries;
  }

  it('forgets every API answer and keeps the app itself', async () => {
    const entries = fakeCaches([
      'http://127.0.0.1:8080/',
      'http://127.0.0.1:8080/icon.svg',
      'http://127.0.0.1:8080/api/clinic/patients',
      'http://127.0.0.1:8080/api/me',
      'http://127.0.0.1:8080/api/stats?utc_offset=0',
    ]);
    await forgetCachedAnswers();
    expect([...entries]).toEqual(['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/icon.svg']);
  });

  it('forgets them at logout and at login', async () => {
    let entries = fakeCaches(['http://x/api/clinic/patients/p_1']);
    answer(204, undefined);
    await logOut();
    expect(entries.size).toBe(0);
    entries = fakeCaches(['http://x/api/plan']);
    answer(200, { role: 'patient', name: 'Ann', csrf: 't' });
    await logIn('ann@example.org', 'a long password');
    expect(entries.size).toBe(0);
  });
});
