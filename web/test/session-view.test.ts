import { describe, expect, it } from 'vitest';
import { applyMessage, currentTargets, endHeadline, initialView, progressAt, type Snapshot } from '../src/lib/session-view';
import { audioStartTime, perfTimeForDue } from '../src/lib/audio-clock';
import { ringDash } from '../src/components/progress-ring-math';

function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    phase: 'rolling', paused: false, step: 0, step_count: 3, exercise_id: 'thoracic_roll', exercise_name: 'Upper back',
    tool_name: 'Soft foam', side: 'none', instructions: ['Roll slowly'], phase_elapsed_ms: 10_000, phase_total_ms: 60_000,
    step_elapsed_ms: 20_000, step_total_ms: 80_000, session_elapsed_ms: 20_000, session_total_ms: 200_000, progress: 0.1,
    next: null, hold: null, end_reason: 'none', ...over,
  };
}

describe('progressAt', () => {
  it('counts down from the snapshot at the session speed', () => {
    let view = applyMessage(initialView(), { type: 'started', speed: 2, snapshot: snapshot(), cues: [], speech: [], plan: { steps: [] } }, 1000);
    const p = progressAt(view, 6000); // 5 s of page time = 10 s of session time at 2x
    expect(p.countdownMs).toBe(40_000);
    expect(p.step).toBeCloseTo(30_000 / 80_000);
    expect(p.session).toBeCloseTo(30_000 / 200_000);
    view = applyMessage(view, { type: 'update', snapshot: snapshot({ paused: true }), cues: [] }, 7000);
    expect(progressAt(view, 60_000).countdownMs).toBe(50_000);
  });
  it('counts down the hold, not the phase, while holding a tender spot', () => {
    const view = applyMessage(initialView(), { type: 'update', snapshot: snapshot({ phase: 'hold', hold: { elapsed_ms: 5000, total_ms: 25_000, on_spot_ms: 5000 } }), cues: [] }, 0);
    expect(progressAt(view, 1000).countdownMs).toBe(19_000);
  });
  it('never goes below zero or above one', () => {
    const view = applyMessage(initialView(), { type: 'update', snapshot: snapshot(), cues: [] }, 0);
    const p = progressAt(view, 10_000_000);
    expect(p.countdownMs).toBe(0);
    expect(p.step).toBe(1);
    expect(p.session).toBe(1);
  });
});

describe('applyMessage', () => {
  it('marks a stop cue as a stopped, ended session with its message', () => {
    const cue = { kind: 'stop', text: 'Stop rolling now.', at_ms: 5, step: 0, exercise_id: 'x', side: 'none', speak: true, priority: 'urgent', code: 'numbness_one_leg', detail: 'See a physical therapist.' };
    const view = applyMessage(initialView(), { type: 'ended', snapshot: snapshot({ phase: 'stopped', end_reason: 'safety_stop' }), cues: [cue], end_reason: 'safety_stop', summary: {} }, 0);
    expect(view.ended).toBe(true);
    expect(view.stopped).toBe(true);
    expect(view.stopMessage).toBe('Stop rolling now.');
    expect(view.stopWhatToDo).toBe('See a physical therapist.');
  });
  it('reads how the session ended from the stop cue, not from its words', () => {
    const stop = (stop_kind: 'emergency' | 'caution', text: string) => ({ kind: 'stop', text, at_ms: 5, step: 0, exercise_id: 'x', side: 'none', speak: true, priority: 'urgent', code: 'r', detail: '', stop_kind });
    const ended = (cue: ReturnType<typeof stop>, undo?: number) =>
      applyMessage(initialView(), { type: 'ended', snapshot: snapshot({ phase: 'stopped', end_reason: 'safety_stop' }), cues: [cue], end_reason: 'safety_stop', summary: {}, undo_within_ms: undo }, 1000);
    // Words that once meant "emergency" to a pattern match do not decide it.
    expect(ended(stop('caution', 'Stop: if this happens again call 999 or go to A&E.'), 2500).stopKind).toBe('caution');
    expect(ended(stop('emergency', 'Stop now.')).stopKind).toBe('emergency');
    expect(ended(stop('caution', 'Stop.'), 2500).undoUntilMs).toBe(3500);
    expect(ended(stop('emergency', 'Stop now.')).undoUntilMs).toBe(0);
  });
  it('heads an early end by the user as stopped early, never as a completed session', () => {
    const done = (end_reason: string, phase = 'done', stop_kind: 'user' | 'caution' | undefined = undefined) => {
      const cue = { kind: phase === 'stopped' ? 'stop' : 'done', text: 'Ended.', at_ms: 5, step: 0, exercise_id: 'x', side: 'none', speak: true, priority: 'high', code: '', detail: '', stop_kind };
      return applyMessage(initialView(), { type: 'ended', snapshot: snapshot({ phase, end_reason }), cues: [cue], end_reason, summary: {} }, 0);
    };
    expect(endHeadline(done('quit', 'done', 'user'))).toBe('Session stopped early');
    expect(endHeadline(done('completed'))).toBe('Well done: session complete');
    expect(endHeadline(done('safety_stop', 'stopped', 'caution'))).toBe('Session stopped');
  });
  it('brings the session back when an undone stop is followed by a running snapshot', () => {
    const cue = { kind: 'done', text: 'Session ended early.', at_ms: 5, step: 0, exercise_id: 'x', side: 'none', speak: true, priority: 'high', code: '', detail: '', stop_kind: 'user' as const };
    let view = applyMessage(initialView(), { type: 'ended', snapshot: snapshot({ phase: 'done', end_reason: 'quit' }), cues: [cue], end_reason: 'quit', summary: {}, undo_within_ms: 10_000 }, 0);
    expect(view.ended).toBe(true);
    expect(view.stopKind).toBe('user');
    view = applyMessage(view, { type: 'update', snapshot: snapshot({ paused: true }), cues: [] }, 2000);
    expect(view.ended).toBe(false);
    expect(view.stopKind).toBe('');
    expect(view.undoUntilMs).toBe(0);
  });
  it('takes a resumed session over with its plan and speed', () => {
    const view = applyMessage(initialView(), { type: 'resumed', speed: 4, snapshot: snapshot({ paused: true, step: 1 }), cues: [], plan: { steps: [{ target_zones: [] }, { target_zones: ['glutes'] }] }, seq: 9 }, 0);
    expect(view.speed).toBe(4);
    expect(view.snapshot?.paused).toBe(true);
    expect(currentTargets(view)).toEqual(['glutes']);
  });
  it('knows the zones of the current step from the plan', () => {
    const view = applyMessage(initialView(), { type: 'started', speed: 1, snapshot: snapshot({ step: 1 }), cues: [], speech: [], plan: { steps: [{ target_zones: ['thoracic_spine'] }, { target_zones: ['glutes'] }] } }, 0);
    expect(currentTargets(view)).toEqual(['glutes']);
  });
  it('ignores error messages', () => {
    const before = initialView();
    expect(applyMessage(before, { type: 'error', code: 'x', message: 'y' }, 0)).toBe(before);
  });
});

describe('audio clock', () => {
  it('maps a due time on the page clock onto the audio clock', () => {
    expect(audioStartTime({ perfMs: 1000, audioS: 10 }, 1500)).toBeCloseTo(10.5);
  });
  it('plays an overdue cue almost at once instead of in the past', () => {
    expect(audioStartTime({ perfMs: 1000, audioS: 10 }, 500, 0.005)).toBeCloseTo(10.005);
  });
  it('divides session time by the speed', () => {
    expect(perfTimeForDue(1000, 60_000, 20)).toBe(4000);
  });
});

describe('ringDash', () => {
  it('fills the right share of the circumference', () => {
    const [filled, total] = ringDash(0.25, 10).split(' ').map(Number);
    expect(filled / total).toBeCloseTo(0.25);
    expect(ringDash(2, 10).split(' ')[0]).toBe(ringDash(1, 10).split(' ')[0]);
  });
});

describe('the instruction line', () => {
  it('keeps the last real instruction while tempo beats come and go', () => {
    const cue = (kind: string, text: string) => ({ kind, text, at_ms: 0, step: 0, exercise_id: 'x', side: 'none', speak: true, priority: 'normal', code: '', detail: '' });
    let view = applyMessage(initialView(), { type: 'update', snapshot: snapshot(), cues: [cue('instruction', 'Lie on the roller')] }, 0);
    view = applyMessage(view, { type: 'update', snapshot: snapshot(), cues: [cue('tempo', 'and slowly back')] }, 0);
    expect(view.lastInstruction?.text).toBe('Lie on the roller');
    expect(view.lastCue?.text).toBe('and slowly back');
  });
  it("leaves a back-off cue to the standing advice: the instruction stays the exercise's", () => {
    const cue = (kind: string, text: string) => ({ kind, text, at_ms: 0, step: 0, exercise_id: 'x', side: 'none', speak: true, priority: 'urgent', code: '', detail: '' });
    let view = applyMessage(initialView(), { type: 'update', snapshot: snapshot(), cues: [cue('instruction', 'Lie on the roller')] }, 0);
    const advice = cue('back_off', 'That is more pressure than you need.');
    view = applyMessage(view, { type: 'update', snapshot: snapshot({ advice }), cues: [advice] }, 0);
    expect(view.lastInstruction?.text).toBe('Lie on the roller');
    expect(view.snapshot?.advice?.text).toBe('That is more pressure than you need.');
  });
});
