import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../src/lib/backoff';
import { calendarWeeks, longDate, monthOfFirst, weekMonthLabel } from '../src/lib/calendar';
import { continueMessage, resumeMessage, shortInstruction } from '../src/lib/session-controls';
import type { Snapshot } from '../src/lib/session-view';
import type { Zone } from '../src/lib/api';
import { zoneLabel } from '../src/lib/zones';

const snap = (patch: Partial<Snapshot>): Snapshot => ({
  phase: 'rolling', paused: false, step: 0, step_count: 3, exercise_id: 'thoracic_roll', exercise_name: 'Upper back', tool_name: '',
  side: 'none', instructions: [], phase_elapsed_ms: 0, phase_total_ms: 1000, step_elapsed_ms: 0, step_total_ms: 1000,
  session_elapsed_ms: 0, session_total_ms: 1000, progress: 0, end_reason: '', ...patch,
});

describe('picking a session up after a dropped connection', () => {
  it('resumes with the key and the last message seen', () =>
    expect(resumeMessage('ab'.repeat(16), 41)).toEqual({ type: 'resume', session_key: 'ab'.repeat(16), last_seq: 41 }));
  it('continues a lost session from the step and exercise the page was on', () => {
    expect(continueMessage(snap({ step: 2, exercise_id: 'glute_roll' }))).toEqual({ type: 'start', from_step: 2, from_exercise: 'glute_roll' });
    expect(continueMessage(snap({ step: -1, exercise_id: '' }))).toEqual({ type: 'start', from_step: 0 });
    expect(continueMessage(null)).toEqual({ type: 'start', from_step: 0 });
  });
});

describe('shortInstruction', () => {
  it('keeps the first sentence and cuts a long one at a word', () => {
    expect(shortInstruction('Lie back. Then roll slowly.')).toBe('Lie back.');
    const long = shortInstruction('Roll slowly from the bottom of the shoulder blades up to the top of the shoulders and back down again without arching');
    expect(long.length).toBeLessThanOrEqual(90);
    expect(long.endsWith('…')).toBe(true);
    expect(long).not.toMatch(/\s…$/);
  });
});

describe('zone names', () => {
  const zone = (id: string, name: string, plain_name: string): Zone => ({ id, name, plain_name, status: 'target', region: '', why: '', sources: [] });
  // The server's plain name is shown as it is: the page does not cut the name itself (this one
  // has no brackets to cut, and a rule in the page would have shown "Muscles beside the spine").
  const zones = [zone('thoracic_spine', 'Upper and mid back (thoracic spine)', 'Upper and mid back'), zone('erector_spinae', 'Muscles beside the spine (erector spinae)', 'Beside the spine')];
  it("shows the server's plain name of a zone", () => {
    expect(zoneLabel('thoracic_spine', zones)).toBe('Upper and mid back');
    expect(zoneLabel('erector_spinae', zones)).toBe('Beside the spine');
  });
  it('shows an id the zones do not hold (not loaded yet, or from an older knowledge base) in words', () => {
    expect(zoneLabel('back_of_knee', zones)).toBe('back of knee');
    expect(zoneLabel('thoracic_spine', [])).toBe('thoracic spine');
  });
});

describe('calendar months', () => {
  it('names the month on the first row and on the row where a month begins', () => {
    // 26 October to 6 December 2026: the first row is October's and also holds 1 November,
    // which its cell names.
    const weeks = calendarWeeks([], '2026-12-01', 6);
    expect(weeks.map((w, i) => weekMonthLabel(w, i))).toEqual(['Oct', '', '', '', '', 'Dec']);
    expect(weeks[0].map(monthOfFirst)).toEqual(['', '', '', '', '', '', 'Nov']);
    // 9 November to 20 December: the first row has no 1st and still says which month it is.
    const later = calendarWeeks([], '2026-12-20', 6);
    expect(later.map((w, i) => weekMonthLabel(w, i))).toEqual(['Nov', '', '', 'Dec', '', '']);
    expect(longDate('2026-12-01')).toBe('1 December 2026');
  });
});

describe('reconnect backoff', () => {
  it('doubles from about 1 s up to about 15 s', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => backoffDelayMs(n, mid))).toEqual([1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect(backoffDelayMs(0, () => 0)).toBe(800);
    expect(backoffDelayMs(0, () => 1)).toBe(1200);
  });
});
