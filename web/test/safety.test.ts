import { describe, expect, it } from 'vitest';
import type { Question, Verdict } from '../src/lib/api';
import { answerPayload, validateAnswer } from '../src/lib/answers';
import { mayFlag, settlingReasons } from '../src/lib/stop-at-once';
import { emergencyNumber, parseSettings } from '../src/lib/settings';

const yesNo: Question = { id: 'saddle_numbness', text: 'Numb?', help: '', type: 'yes_no', choices: [] };
const age: Question = { id: 'age', text: 'Age?', help: '', type: 'number', choices: [], min: 0, max: 120 };

const verdict = (tiers: string[]): Verdict => ({
  tier: tiers[0] ?? 'proceed',
  reasons: tiers.map((tier, i) => ({ rule_id: `r${i}`, tier, message: 'm', what_to_do: 'w', sources: [] })),
  changes: { excluded_zones: [], soft_roller_only: false, gentle_pressure_only: false },
  missing_answers: ['age'],
});

describe('Not sure', () => {
  it('is a valid answer to every kind of question and is sent as "unknown"', () => {
    expect(validateAnswer(yesNo, 'unknown')).toBeNull();
    expect(validateAnswer(age, 'unknown')).toBeNull();
    expect(answerPayload([yesNo, age], { saddle_numbness: 'unknown', age: 'unknown' })).toEqual({ saddle_numbness: 'unknown', age: 'unknown' });
  });
});

describe('stop at once', () => {
  it('checks the answers so far only after an answer that could raise a flag', () => {
    expect(mayFlag(yesNo, 'yes')).toBe(true);
    expect(mayFlag(yesNo, 'no')).toBe(false);
    expect(mayFlag(yesNo, 'unknown')).toBe(false);
    expect(mayFlag(age, 72)).toBe(true);
  });
  it('stops for a fired emergency or today reason, not for a stop tier that only missing answers cause', () => {
    expect(settlingReasons(verdict(['emergency'])).length).toBe(1);
    expect(settlingReasons(verdict(['clinician_today'])).length).toBe(1);
    expect(settlingReasons(verdict(['clinician_before_rolling'])).length).toBe(0);
    expect(settlingReasons({ ...verdict([]), tier: 'clinician_before_rolling' }).length).toBe(0);
  });
});

describe('settings', () => {
  it('falls back to the defaults for damaged or foreign values', () => {
    expect(parseSettings('not json').emergency).toBe('uk');
    const s = parseSettings(JSON.stringify({ emergency: 'us', volume: 7, reminderTime: '25:00', reminderDays: ['FR', 'XX', 'MO'] }));
    expect(emergencyNumber(s)).toEqual({ id: 'us', number: '911', country: 'United States and Canada' });
    expect(s.volume).toBe(1);
    expect(s.reminderTime).toBe('19:30');
    expect(s.reminderDays).toEqual(['MO', 'FR']);
  });
});
