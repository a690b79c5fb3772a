import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, isStopTier, latestSessionNumbers, noRecentCheckinsText, painChartTitle, sorenessSummary, tierHeadline, words } from '../src/lib/format';
import { isPublicRoute, routeFromHash, routeParam } from '../src/lib/route';

describe('formatClock', () => {
  it('shows minutes and zero-padded seconds', () => {
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(0)).toBe('0:00');
  });
  it('rounds up so a countdown never shows zero before the end', () => {
    expect(formatClock(100)).toBe('0:01');
    expect(formatClock(59_001)).toBe('1:00');
  });
  it('never shows negative time', () => {
    expect(formatClock(-5000)).toBe('0:00');
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(90)).toBe('1 min 30 s');
  });
});

describe('tiers', () => {
  it('treats every tier from clinician_before_rolling up as a stop', () => {
    expect(isStopTier('proceed')).toBe(false);
    expect(isStopTier('proceed_with_changes')).toBe(false);
    for (const tier of ['clinician_before_rolling', 'clinician_soon', 'clinician_today', 'emergency']) expect(isStopTier(tier)).toBe(true);
  });
  it('treats an unknown tier as a stop, never as permission', () => {
    expect(isStopTier('something_new')).toBe(true);
  });
  it('has a headline for each tier', () => {
    expect(tierHeadline('emergency')).toMatch(/urgent/i);
    expect(tierHeadline('proceed')).toMatch(/can roll/i);
  });
  it('turns ids into words', () => {
    expect(words('glutes_and_hips')).toBe('glutes and hips');
  });
});

describe('routeFromHash', () => {
  it('maps known hashes and falls back to home', () => {
    expect(routeFromHash('#/history')).toBe('history');
    expect(routeFromHash('#/plan?x=1')).toBe('plan');
    expect(routeFromHash('')).toBe('home');
    expect(routeFromHash('#/../../etc')).toBe('home');
  });
});

describe('clinic routes', () => {
  it('reads the login, invite and therapist routes with their parameter', () => {
    expect(routeFromHash('#/login')).toBe('login');
    expect(routeFromHash('#/invite/abc_123')).toBe('invite');
    expect(routeParam('#/invite/abc_123')).toBe('abc_123');
    expect(routeFromHash('#/clinic')).toBe('clinic');
    expect(routeFromHash('#/clinic/p_12')).toBe('patient');
    expect(routeParam('#/clinic/p%2012')).toBe('p 12');
  });

  it('sends an invite without a token and a malformed parameter nowhere harmful', () => {
    expect(routeFromHash('#/invite')).toBe('home');
    expect(routeParam('#/clinic/%E0%A4%A')).toBe('');
    expect(routeParam('#/plan')).toBe('');
    expect(routeFromHash('#/patient')).toBe('home');
  });

  it('lets only the login and invite pages through without a login', () => {
    expect(isPublicRoute('login')).toBe(true);
    expect(isPublicRoute('invite')).toBe(true);
    expect(isPublicRoute('clinic')).toBe(false);
    expect(isPublicRoute('plan')).toBe(false);
  });
});

describe('the pain chart over the latest sessions', () => {
  it('numbers them as in the whole journal and says they are the latest', () => {
    // The stats carry the last 14 of 58 sessions: they are sessions 45 to 58, not 1 to 14.
    expect(latestSessionNumbers(14, 58)).toEqual(Array.from({ length: 14 }, (_, i) => 45 + i));
    expect(painChartTitle(14, 58)).toBe('Pain before and after your last 14 sessions');
    expect(latestSessionNumbers(3, 3)).toEqual([1, 2, 3]);
    expect(painChartTitle(3, 3)).toBe('Pain before and after each session');
    // A total the page does not know (0) numbers from 1.
    expect(latestSessionNumbers(2, 0)).toEqual([1, 2]);
  });
});

describe('sorenessSummary', () => {
  it('counts one check-in as one, not "1 check-ins"', () => {
    expect(sorenessSummary(1, 3)).toBe('1 check-in in two weeks, average 3.0 of 10.');
    expect(sorenessSummary(4, 2.25)).toBe('4 check-ins in two weeks, average 2.3 of 10.');
    expect(sorenessSummary(2, null)).toBe('2 check-ins in two weeks, average - of 10.');
  });
});

describe('noRecentCheckinsText', () => {
  it('says "yet" only when there has never been a check-in', () => {
    expect(noRecentCheckinsText(null)).toBe('No check-ins yet.');
    expect(noRecentCheckinsText(undefined)).toBe('No check-ins yet.');
  });
  it('says none in the last 14 days, and when the last was, when there are older ones', () => {
    const last = new Date(2026, 10, 2, 12, 0, 0);
    expect(noRecentCheckinsText(last.toISOString())).toBe('No check-ins in the last 14 days. The last was on 2 November 2026.');
  });
});
