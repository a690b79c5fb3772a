import { describe, expect, it } from 'vitest';
import {
  FramePacer, FramingPrompter, cameraOffText, mainProblem, nextShownCue, parseMotion, percentile, reasonForMediaError, spinePosition,
} from '../src/camera/motion-view';
import type { Cue } from '../src/lib/session-view';

const cue = (kind: string, text: string, priority = 'normal', code = ''): Cue =>
  ({ kind, text, priority, code, at_ms: 0, step: 0, exercise_id: 'thoracic_roll', side: 'none', speak: true, detail: '' });

describe('motion messages from the server', () => {
  it('reads a full message', () => {
    const m = parseMotion({ type: 'motion', t_us: 42, posture: 'supine_on_roller', exercise: 'thoracic_roll', calibrated: true, contact_known: true,
      fraction: 0.52, level: 'T9', zone: 'thoracic', speed_cm_s: 4.1, holding: false, hold_seconds: 0, roller_start_learning: true,
      framing: { ok: true, problems: [] }, findings: [{ code: 'lumbar_contact', severity: 'warning', message: 'Move up.' }] });
    expect(m).toMatchObject({ t_us: 42, fraction: 0.52, level: 'T9', zone: 'thoracic', calibrated: true, roller_start_learning: true });
    expect(m!.findings[0].code).toBe('lumbar_contact');
  });

  it('refuses other messages and survives missing fields', () => {
    expect(parseMotion({ type: 'update' })).toBeNull();
    expect(parseMotion('motion')).toBeNull();
    const m = parseMotion({ type: 'motion', t_us: 1, zone: 'elbow', fraction: 'x', framing: { ok: true, problems: ['too_close'] } });
    expect(m).toMatchObject({ zone: '', fraction: null, calibrated: false, roller_start_learning: false });
    expect(m!.framing.ok).toBe(false); // a problem listed means it is not ok, whatever "ok" says
  });
});

describe('framing advice', () => {
  it('names the most basic problem first', () => {
    expect(mainProblem(['not_side_on', 'too_close'])).toBe('too_close');
    expect(mainProblem(['too_close', 'no_body'])).toBe('no_body');
    expect(mainProblem([])).toBeNull();
  });

  it('speaks only after the problem has lasted a moment, and not again for a while', () => {
    const p = new FramingPrompter(1500, 10_000);
    expect(p.update(['too_close'], 0)).toBeNull();
    expect(p.update(['too_close'], 1000)).toBeNull();
    expect(p.update(['too_close'], 1600)).toBe('Move the phone back.');
    expect(p.update(['too_close'], 5000)).toBeNull();
    expect(p.update(['too_close'], 11_700)).toBe('Move the phone back.');
  });

  it('forgets a problem that went away before it settled', () => {
    const p = new FramingPrompter(1500, 10_000);
    p.update(['not_side_on'], 0);
    p.update([], 1000);
    expect(p.update(['not_side_on'], 2000)).toBeNull();
    expect(p.update(['not_side_on'], 3600)).toMatch(/sideways/);
  });
});

describe('spine bar', () => {
  it('places C7 near the top, PSIS near the bottom and the lumbar boundary between', () => {
    expect(spinePosition(0)).toBeGreaterThan(0.05);
    expect(spinePosition(0)).toBeLessThan(0.15);
    expect(spinePosition(1)).toBeGreaterThan(0.85);
    expect(spinePosition(0.709)).toBeGreaterThan(spinePosition(0.5));
    expect(spinePosition(-3)).toBe(0);
    expect(spinePosition(7)).toBe(1);
  });
});

describe('the cue in large text', () => {
  it('shows a camera cue', () => {
    const shown = nextShownCue(null, [cue('tempo', 'roll'), cue('form', 'Move up: you are on your lower back.', 'high', 'lumbar_contact')], 0);
    expect(shown!.cue.code).toBe('lumbar_contact');
  });

  it('keeps a safety cue on screen over a later camera cue', () => {
    const safety = nextShownCue(null, [cue('stop', 'Stop now.', 'urgent')], 0);
    expect(nextShownCue(safety, [cue('form', 'Slow down.', 'high', 'too_fast')], 3000)!.cue.kind).toBe('stop');
    expect(nextShownCue(safety, [cue('form', 'Slow down.', 'high', 'too_fast')], 9000)!.cue.kind).toBe('form');
  });

  it('lets a safety cue in the same message win over a camera cue', () => {
    const shown = nextShownCue(null, [cue('back_off', 'Ease off.', 'high'), cue('form', 'Slow down.', 'high', 'too_fast')], 0);
    expect(shown!.cue.kind).toBe('back_off');
  });
});

describe('camera off, in one line', () => {
  it('says why and that the session goes on', () => {
    expect(cameraOffText(reasonForMediaError('NotAllowedError'))).toMatch(/not allowed.*session goes on/);
    expect(cameraOffText(reasonForMediaError('NotFoundError'))).toMatch(/no camera/);
    expect(cameraOffText('too_slow', '420 ms a frame')).toMatch(/too slow.*420 ms/);
    expect(cameraOffText('insecure')).toMatch(/https/);
  });
});

describe('frame pacing', () => {
  it('runs at the cap when the model is fast, whatever its first (warm-up) frame took', () => {
    const p = new FramePacer(15, 0.6);
    p.record(1500);
    for (let i = 0; i < 5; i++) p.record(20);
    expect(p.gapMs()).toBeCloseTo(1000 / 15 - 20, 5);
  });

  it('leaves the page 40 % of the main thread when the model is slow', () => {
    const p = new FramePacer(15, 0.6);
    for (let i = 0; i < 5; i++) p.record(90);
    expect(p.gapMs()).toBeCloseTo(60, 5); // a 150 ms period: 90 busy, 60 free
  });

  it('is not thrown off by one slow frame', () => {
    const p = new FramePacer(15, 0.6);
    for (const ms of [20, 20, 20, 900, 20, 20]) p.record(ms);
    expect(p.gapMs()).toBeCloseTo(1000 / 15 - 20, 5);
  });

  it('calls a device too slow only after a run of slow frames', () => {
    const p = new FramePacer(15, 0.6, 4, 3);
    p.record(2000); // warm-up
    p.record(400);
    p.record(400);
    expect(p.tooSlow).toBe(false);
    p.record(400);
    expect(p.tooSlow).toBe(true);
    p.record(50);
    expect(p.tooSlow).toBe(false);
  });

  it('computes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 100], 0.95)).toBe(100);
    expect(percentile([], 0.5)).toBeNaN();
  });
});
