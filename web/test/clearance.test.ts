import { describe, expect, it } from 'vitest';
import type { Flag } from '../src/lib/api';
import { clearanceRequest, coverable, emptyDraft, localToday } from '../src/lib/clearance';

const flag = (rule_id: string, over: Partial<Flag> = {}): Flag => ({
  rule_id,
  tier: 'clinician_before_rolling',
  message: rule_id,
  clearable: true,
  covered_by: null,
  raised_on: null,
  ...over,
});

const flags = [flag('cancer_history'), flag('saddle_numbness', { tier: 'emergency', clearable: false }), flag('pregnant', { covered_by: 3 })];

describe('the clearance form', () => {
  it('offers only flags a clearance can cover: never an emergency, never one already covered', () => {
    expect(coverable(flags).map((f) => f.rule_id)).toEqual(['cancer_history']);
    expect(emptyDraft(flags).covers).toEqual(['cancer_history']);
  });

  it('asks for who, when and at least one flag before sending', () => {
    const draft = emptyDraft(flags);
    expect(clearanceRequest(draft, '2026-11-20')).toEqual({ problem: expect.stringMatching(/who cleared you/) });
    expect(clearanceRequest({ ...draft, by: 'Dr Patel' }, '2026-11-20')).toEqual({ problem: expect.stringMatching(/date/) });
    expect(clearanceRequest({ ...draft, by: 'Dr Patel', on: '2026-11-21' }, '2026-11-20')).toEqual({ problem: expect.stringMatching(/future/) });
    expect(clearanceRequest({ ...draft, by: 'Dr Patel', on: '2026-11-20', covers: [] }, '2026-11-20')).toEqual({
      problem: expect.stringMatching(/flagged answers/),
    });
    expect(clearanceRequest({ ...draft, by: 'Dr Patel', on: '2026-11-20', maxMinutes: '0' }, '2026-11-20')).toEqual({
      problem: expect.stringMatching(/1 to 60/),
    });
  });

  it('says what is wrong with minutes that are not whole minutes from 1 to 60, repeating what was typed', () => {
    const draft = { ...emptyDraft(flags), by: 'Dr Patel', on: '2026-11-20' };
    for (const typed of ['1e400', '1e1', '0x10', 'ten', '2.5', '61', '-3', 'Infinity', '9'.repeat(400)]) {
      const built = clearanceRequest({ ...draft, maxMinutes: typed }, '2026-11-20');
      expect(built, typed).toEqual({ problem: expect.stringMatching(/^Shorter sessions: ".{1,15}" is not whole minutes from 1 to 60/) });
      expect((built as { problem: string }).problem).not.toMatch(/max_session_minutes/);
    }
    expect(clearanceRequest({ ...draft, maxMinutes: '1e400' }, '2026-11-20')).toEqual({ problem: expect.stringContaining('"1e400"') });
    expect(clearanceRequest({ ...draft, maxMinutes: ' 45 ' }, '2026-11-20')).toEqual({
      request: expect.objectContaining({ limits: { max_session_minutes: 45 } }),
    });
    expect(clearanceRequest({ ...draft, maxMinutes: '  ' }, '2026-11-20')).toEqual({ request: expect.objectContaining({ limits: {} }) });
  });

  it('sends the limits in the API shape, and nothing the person did not set', () => {
    const draft = { ...emptyDraft(flags), by: '  Dr Patel, GP ', on: '2026-11-20', softRoller: true, leaveOut: ['latissimus_dorsi'], maxMinutes: '5' };
    expect(clearanceRequest(draft, '2026-11-20')).toEqual({
      request: {
        by: 'Dr Patel, GP',
        on: '2026-11-20',
        covers: ['cancer_history'],
        limits: { soft_roller_only: true, excluded_zones: ['latissimus_dorsi'], max_session_minutes: 5 },
      },
    });
  });

  it('writes today in the local calendar', () => {
    expect(localToday(new Date(2026, 10, 5, 23, 30))).toBe('2026-11-05');
  });
});
