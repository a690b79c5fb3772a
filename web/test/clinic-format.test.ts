import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/lib/api';
import type { PatientSummary } from '../src/clinic/clinic-api';
import {
  adherenceLevel,
  adherenceText,
  inviteProblem,
  inviteUrl,
  isSetByClinician,
  lastSessionText,
  limitsDraft,
  limitsRequest,
  limitsSetByText,
  loginProblem,
  painTrendText,
  passwordProblem,
  rateLimitedText,
  sortPatients,
  sortWarnings,
  sparklinePoints,
  sessionLine,
  filterPatients,
  auditActionText,
  auditTime,
  checkinLine,
  screeningLine,
  clearedText,
  stoppedText,
  warningKindLabel,
} from '../src/clinic/clinic-format';

function patient(id: string, patch: Partial<PatientSummary> = {}): PatientSummary {
  return { id, name: id, email: `${id}@example.org`, last_session: null, adherence_4w: 0.5, pain_trend: null, warnings: [], ...patch };
}

const warning = (kind: string, at = '2026-11-30T10:00:00Z') => ({ kind, tier: 'clinician_soon', rule_id: 'r', at, text: kind });

describe('the patient list order', () => {
  it('puts patients with warnings first, sessions stopped for a warning sign before red flags before check-in warnings', () => {
    const list = sortPatients([
      patient('calm', { last_session: '2026-11-30' }),
      patient('checkin', { warnings: [warning('checkin_warning')] }),
      patient('stop', { warnings: [warning('checkin_warning'), warning('session_stop')] }),
      patient('flag', { warnings: [warning('red_flag')] }),
    ]);
    expect(list.map((p) => p.id)).toEqual(['stop', 'flag', 'checkin', 'calm']);
  });

  it('then orders by the most recent session, with those who never rolled last and names breaking ties', () => {
    const list = sortPatients([
      patient('never'),
      patient('old', { last_session: '2026-10-01' }),
      patient('b-new', { last_session: '2026-11-30' }),
      patient('a-new', { last_session: '2026-11-30' }),
    ]);
    expect(list.map((p) => p.id)).toEqual(['a-new', 'b-new', 'old', 'never']);
  });

  it('does not reorder the list it was given', () => {
    const given = [patient('b', { last_session: '2026-01-01' }), patient('a', { last_session: '2026-02-01' })];
    sortPatients(given);
    expect(given.map((p) => p.id)).toEqual(['b', 'a']);
  });

  it('finds patients by any words of their name or email, keeping the order', () => {
    const list = [patient('b', { name: 'Sam Carter' }), patient('a', { name: 'Ann Carter', email: 'ann@clinic.example' })];
    expect(filterPatients(list, 'carter').map((p) => p.id)).toEqual(['b', 'a']);
    expect(filterPatients(list, '  CARTER   ann ').map((p) => p.id)).toEqual(['a']);
    expect(filterPatients(list, 'clinic.example').map((p) => p.id)).toEqual(['a']);
    expect(filterPatients(list, '')).toEqual(list);
    expect(filterPatients(list, 'nobody')).toEqual([]);
  });

  it('lists a patient\'s warnings most serious first, then newest first', () => {
    const sorted = sortWarnings([
      warning('checkin_warning', '2026-11-29'),
      warning('red_flag', '2026-11-01'),
      warning('red_flag', '2026-11-20'),
      warning('session_stop', '2026-10-01'),
    ]);
    expect(sorted.map((w) => `${w.kind}@${w.at}`)).toEqual([
      'session_stop@2026-10-01',
      'red_flag@2026-11-20',
      'red_flag@2026-11-01',
      'checkin_warning@2026-11-29',
    ]);
  });
});

describe('lifted warnings and stopped sessions in words', () => {
  const lifted = (patch: object) => ({ ...warning('session_stop'), cleared_by: null, cleared_on: '2026-11-30', ...patch });

  it('says who cleared a warning, or that the safety questions were answered again after an emergency sign', () => {
    expect(warningKindLabel('session_stop')).toBe('Session stopped for a warning sign');
    expect(clearedText(lifted({ cleared_by: 'Dr Patel, GP', lifted_by: 'clearance' }))).toBe('cleared by Dr Patel, GP on 30 November 2026');
    expect(clearedText(lifted({ lifted_by: 'clearance' }))).toBe('cleared on 30 November 2026');
    expect(clearedText(lifted({ lifted_by: 'screening' }))).toBe('safety questions answered again on 30 November 2026');
  });

  it('names why a session stopped in words, and says so when the reason was not recorded', () => {
    expect(stoppedText({ at: '2026-12-01T09:00:00Z', rule_id: 'stop_dizziness', event: 'dizziness' })).toBe('Session stopped on 1 December 2026: felt dizzy');
    expect(stoppedText({ at: '2026-12-01T09:00:00Z', rule_id: 'stop_feels_wrong', event: 'feels_wrong' })).toBe('Session stopped on 1 December 2026: something felt wrong');
    expect(stoppedText({ at: '2026-12-01T09:00:00Z', rule_id: '', event: '' })).toBe('Session stopped on 1 December 2026: reason not recorded');
  });
});

describe('adherence and pain trend in words', () => {
  it('shows adherence as a whole percentage, clamped, and says when there is no plan', () => {
    expect(adherenceText(0.64)).toBe('64%');
    expect(adherenceText(0.645)).toBe('65%');
    expect(adherenceText(1.3)).toBe('100%');
    expect(adherenceText(-0.2)).toBe('0%');
    expect(adherenceText(null)).toBe('no plan yet');
    expect(adherenceText(Number.NaN)).toBe('no plan yet');
  });

  it('marks adherence below half the planned days as low', () => {
    expect(adherenceLevel(0.49)).toBe('low');
    expect(adherenceLevel(0.5)).toBe('ok');
    expect(adherenceLevel(null)).toBe('none');
  });

  it('calls a pain change under one point steady and names the direction otherwise', () => {
    const trend = (first: number, last: number) => ({ first, last, points: [{ date: '2026-11-01', pain: first }, { date: '2026-11-30', pain: last }] });
    expect(painTrendText(trend(5, 3.2))).toEqual({ text: 'better (5 → 3.2)', direction: 'better' });
    expect(painTrendText(trend(3, 4.5))).toEqual({ text: 'worse (3 → 4.5)', direction: 'worse' });
    expect(painTrendText(trend(4, 4.9)).direction).toBe('steady');
    expect(painTrendText(null)).toEqual({ text: 'no pain ratings yet', direction: 'none' });
    expect(painTrendText({ first: null, last: null, points: [] }).direction).toBe('none');
  });

  it('draws the sparkline in date order with 10 at the top and 0 at the bottom', () => {
    const points = sparklinePoints(
      [
        { date: '2026-11-03', pain: 0 },
        { date: '2026-11-01', pain: 10 },
        { date: '2026-11-02', pain: 5 },
      ],
      100,
      24,
    );
    expect(points).toBe('2,2 50,12 98,22');
  });

  it('draws one rating as a flat line and nothing for no ratings, and clamps values outside 0-10', () => {
    expect(sparklinePoints([{ date: '2026-11-01', pain: 5 }], 100, 24)).toBe('2,12 98,12');
    expect(sparklinePoints([], 100, 24)).toBe('');
    expect(sparklinePoints([{ date: 'a', pain: 14 }, { date: 'b', pain: -3 }], 100, 24)).toBe('2,2 98,22');
  });

  it('names today and yesterday and writes other dates out', () => {
    expect(lastSessionText('2026-12-01', '2026-12-01')).toBe('today');
    expect(lastSessionText('2026-11-30', '2026-12-01')).toBe('yesterday');
    expect(lastSessionText('2026-11-02', '2026-12-01')).toBe('2 November 2026');
    expect(lastSessionText(null, '2026-12-01')).toBe('never');
  });
});

describe('login and invite messages', () => {
  it('says the same thing for an unknown email and a wrong password', () => {
    const unknown = new ApiError(401, 'login_failed', 'That email and password do not match an account.');
    const wrongWithOtherText = new ApiError(401, 'login_failed', 'No account for jo@example.org');
    expect(loginProblem(unknown)).toBe(loginProblem(wrongWithOtherText));
    expect(loginProblem(wrongWithOtherText)).not.toContain('jo@example.org');
  });

  it('says when to try again after too many attempts', () => {
    expect(loginProblem(new ApiError(429, 'rate_limited', '', { retry_after_s: 90 }))).toBe('Too many attempts. Try again in 2 minutes.');
    expect(rateLimitedText(1)).toBe('Too many attempts. Try again in 1 second.');
    expect(rateLimitedText(30)).toBe('Too many attempts. Try again in 30 seconds.');
    expect(rateLimitedText(60)).toBe('Too many attempts. Try again in 1 minute.');
    expect(rateLimitedText(Number.NaN)).toBe('Too many attempts. Wait a little, then try again.');
  });

  it('never shows a server error\'s internals on the login page', () => {
    expect(loginProblem(new ApiError(500, 'internal', 'pqxx::broken_connection at db.example:5432'))).toBe(
      'Logging in did not work just now. Try again in a moment.',
    );
    expect(loginProblem(new Error('TypeError'))).toBe('Logging in did not work just now. Try again in a moment.');
  });

  it('tells a used invite from an expired one and an unknown one, naming nobody', () => {
    expect(inviteProblem(new ApiError(410, 'invite_used', ''))).toMatch(/already been used/);
    expect(inviteProblem(new ApiError(410, 'invite_expired', ''))).toMatch(/expired/);
    expect(inviteProblem(new ApiError(404, 'not_found', 'no invite abc'))).toMatch(/does not work/);
    expect(inviteProblem(new ApiError(404, 'not_found', 'no invite abc'))).not.toContain('abc');
  });

  it('asks for a password of ten characters typed the same twice', () => {
    expect(passwordProblem('short', 'short')).toMatch(/at least 10/);
    expect(passwordProblem('long enough 1', 'long enough 2')).toMatch(/not the same/);
    expect(passwordProblem('long enough 1', 'long enough 1')).toBe('');
  });

  it('turns the server\'s invite path into this app\'s link on this origin', () => {
    expect(inviteUrl('/invite/abc_123', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/#/invite/abc_123');
    expect(inviteUrl('/#/invite/abc', 'https://clinic.example/')).toBe('https://clinic.example/#/invite/abc');
    expect(inviteUrl('https://clinic.example/#/invite/abc', 'http://x')).toBe('https://clinic.example/#/invite/abc');
  });
});

describe('the limits editor', () => {
  it('round-trips the limits on record through the form', () => {
    const limits = { excluded_zones: ['glutes'], max_minutes: 5, roller: 'soft' as const, pressure: 'gentle' as const, exercises_off: ['lat_roll'] };
    expect(limitsRequest(limitsDraft(limits))).toEqual({ limits });
  });

  it('sends null for "no limit" and sorts and de-duplicates the lists', () => {
    const draft = { excludedZones: ['thoracic', 'glutes', 'glutes'], maxMinutes: ' ', roller: '' as const, pressure: '' as const, exercisesOff: [] };
    expect(limitsRequest(draft)).toEqual({
      limits: { excluded_zones: ['glutes', 'thoracic'], max_minutes: null, roller: null, pressure: null, exercises_off: [] },
    });
  });

  it('refuses minutes that are not whole numbers from 1 to 60', () => {
    for (const bad of ['0', '61', '2.5', 'five', '-3', '1e1', '1e400', '0x10']) {
      const result = limitsRequest({ ...limitsDraft(null), maxMinutes: bad });
      expect(result, bad).toEqual({ problem: expect.stringMatching(/whole minutes from 1 to 60/) });
    }
  });

  it('says who set the limits and when, or that none are set', () => {
    expect(limitsSetByText({ ...limitsDraft(null), excluded_zones: [], max_minutes: null, roller: null, pressure: null, exercises_off: [], set_by: 'Jo Smith', set_on: '2026-11-30' })).toBe(
      'Set by Jo Smith on 30 November 2026.',
    );
    expect(limitsSetByText(null)).toMatch(/No limits set yet/);
  });

  it('recognises the plan notes a clinician or therapist set', () => {
    expect(isSetByClinician('At most 5 minutes a session: your therapist set this (Jo Smith, 2026-11-30).')).toBe(true);
    expect(isSetByClinician('Soft roller only: your clinician set this (Dr Patel, GP, 2026-11-01).')).toBe(true);
    expect(isSetByClinician('Your first week: shorter sessions.')).toBe(false);
  });
});

describe('the patient detail lines', () => {
  it('sums a session up as minutes, how it ended and the zones rolled', () => {
    const line = sessionLine({
      started_at: '2026-11-30T08:00:00Z',
      ended_at: '2026-11-30T08:07:30Z',
      end_reason: 'completed',
      zones: [{ zone: 'thoracic', seconds: 300 }, { zone: 'glutes', seconds: 0 }],
    });
    expect(line).toEqual({ date: '2026-11-30', text: '7.5 min · finished · thoracic', warn: false });
  });

  it('marks a session that ended with a safety stop', () => {
    expect(sessionLine({ started_at: '2026-11-30T08:00:00Z', end_reason: 'emergency_stop' }).warn).toBe(true);
    expect(sessionLine({ started_at: '2026-11-30T08:00:00Z', end_reason: 'stopped_warning' })).toMatchObject({ text: 'stopped for a warning sign', warn: true });
    expect(sessionLine({ started_at: '2026-11-30T08:00:00Z', end_reason: 'quit' })).toMatchObject({ text: 'ended early', warn: false });
  });

  it('marks a check-in with a warning sign and a screening at a stop tier', () => {
    expect(checkinLine({ recorded_at: '2026-11-29T19:00:00Z', soreness: 6, warning_sign: true })).toEqual({
      date: '2026-11-29',
      text: 'soreness 6 of 10 · warning sign reported',
      warn: true,
    });
    expect(checkinLine({ recorded_at: '2026-11-29T19:00:00Z', soreness: 2, warning_sign: false }).warn).toBe(false);
    const headline = (t: string) => `tier ${t}`;
    expect(screeningLine({ taken_at: '2026-11-01T09:00:00Z', tier: 'clinician_soon' }, headline)).toEqual({
      date: '2026-11-01',
      text: 'tier clinician_soon',
      warn: true,
    });
    expect(screeningLine({ taken_at: '2026-11-01T09:00:00Z', tier: 'proceed_with_changes' }, headline).warn).toBe(false);
  });

  it('reads the history entries the clinic detail lists ({kind, at, summary, detail})', () => {
    const session = sessionLine({
      kind: 'session',
      id: 7,
      at: '2026-11-28T07:30:00Z',
      summary: 'session 6 min, finished (thoracic)',
      detail: { seconds: 372, end_reason: 'completed', zones: 'glutes, thoracic', pain_before: 5, pain_after: 3 },
    });
    expect(session).toEqual({ date: '2026-11-28', text: '6.2 min · finished · glutes, thoracic · pain 5 → 3', warn: false });
    expect(checkinLine({ kind: 'checkin', at: '2026-11-29T08:00:00Z', detail: { soreness: 7, warning_sign: true, tier: 'clinician_soon' } })).toEqual({
      date: '2026-11-29',
      text: 'soreness 7 of 10 · warning sign reported',
      warn: true,
    });
    expect(screeningLine({ kind: 'screening', at: '2026-11-01T08:00:00Z', detail: { tier: 'emergency' } }, (t) => t)).toEqual({
      date: '2026-11-01',
      text: 'emergency',
      warn: true,
    });
  });

  it('copes with rows that lack the expected fields', () => {
    expect(sessionLine({})).toEqual({ date: '', text: 'session', warn: false });
    expect(checkinLine({ at: 'not a date' }).date).toBe('');
  });
});

describe('the audit log in words', () => {
  it('names the actions and writes the time out in UTC', () => {
    expect(auditActionText('change_limits')).toBe('changed the plan limits');
    expect(auditActionText('something_new')).toBe('something new');
    expect(auditTime('2026-12-01T09:30:12.345Z')).toBe('1 December 2026, 09:30 UTC');
    expect(auditTime('yesterday')).toBe('yesterday');
  });
});
