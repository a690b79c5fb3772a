// What the camera panel shows and says, from the server's per-frame "motion" messages (docs/web.md,
// "Live camera"): the framing check, the spine bar, the cue in large text, the one line that says
// why the camera is off, and the end-to-end latency. Pure, time passed in; tested in
// test/motion-view.test.ts.
import type { Cue } from '../lib/session-view';

export type FramingProblem = 'too_close' | 'not_side_on' | 'body_cut_off' | 'no_body';
export type SpineZone = 'neck' | 'thoracic' | 'lumbar' | 'sacrum';

export interface MotionFinding {
  code: string;
  severity: string;
  message: string;
}

export interface MotionMessage {
  type: 'motion';
  t_us: number;
  posture: string;
  exercise: string;
  calibrated: boolean;
  contact_known: boolean;
  fraction: number | null;
  level: string;
  zone: SpineZone | '';
  speed_cm_s: number;
  holding: boolean;
  hold_seconds: number;
  roller_start_learning: boolean; // the analyser is learning where the roller started: look for it on every frame
  framing: { ok: boolean; problems: FramingProblem[] };
  findings: MotionFinding[];
}

export interface MotionStats {
  type: 'motion_stats';
  received: number;
  analysed: number;
  roller_sightings?: number; // analysed frames that carried a roller sighting (a server before RCMF v2 leaves it out)
  dropped: number;
  reasons: Record<string, number>;
}

/** A "motion" message as the server sent it, or null if it is not one (missing or wrong fields). */
export function parseMotion(raw: unknown): MotionMessage | null {
  if (!raw || typeof raw !== 'object') return null;
  const m = raw as Record<string, unknown>;
  if (m.type !== 'motion' || typeof m.t_us !== 'number') return null;
  const framing = (m.framing && typeof m.framing === 'object' ? m.framing : {}) as Record<string, unknown>;
  const problems = Array.isArray(framing.problems) ? framing.problems.filter((p): p is FramingProblem => typeof p === 'string') : [];
  return {
    type: 'motion',
    t_us: m.t_us,
    posture: typeof m.posture === 'string' ? m.posture : '',
    exercise: typeof m.exercise === 'string' ? m.exercise : '',
    calibrated: m.calibrated === true,
    contact_known: m.contact_known === true,
    fraction: typeof m.fraction === 'number' && Number.isFinite(m.fraction) ? m.fraction : null,
    level: typeof m.level === 'string' ? m.level : '',
    zone: (['neck', 'thoracic', 'lumbar', 'sacrum'] as const).find((z) => z === m.zone) ?? '',
    speed_cm_s: typeof m.speed_cm_s === 'number' ? m.speed_cm_s : 0,
    holding: m.holding === true,
    hold_seconds: typeof m.hold_seconds === 'number' ? m.hold_seconds : 0,
    roller_start_learning: m.roller_start_learning === true,
    framing: { ok: framing.ok === true && problems.length === 0, problems },
    findings: Array.isArray(m.findings)
      ? m.findings.filter((f): f is MotionFinding => !!f && typeof f === 'object' && typeof (f as MotionFinding).code === 'string')
      : [],
  };
}

/** What to say for a framing problem: the first, most basic one wins (no body before too close). */
const framingOrder: FramingProblem[] = ['no_body', 'body_cut_off', 'too_close', 'not_side_on'];
export const framingAdvice: Record<FramingProblem, { shown: string; spoken: string }> = {
  no_body: { shown: 'The camera cannot find you. Face the phone for a moment, then lie down.', spoken: 'I cannot see you. Show your face to the phone, then lie down.' },
  body_cut_off: { shown: 'Part of you is out of the picture: move the phone back.', spoken: 'Move the phone back.' },
  too_close: { shown: 'Too close: move the phone back, 2 to 3 metres away.', spoken: 'Move the phone back.' },
  not_side_on: { shown: 'The phone sees you end-on: put it at your side, level with your waist.', spoken: 'Turn it sideways: put the phone at your side.' },
};

export function mainProblem(problems: FramingProblem[]): FramingProblem | null {
  return framingOrder.find((p) => problems.includes(p)) ?? null;
}

/**
 * Decides when to speak framing advice: only once the problem has lasted `settleMs` (the model
 * loses the body for a frame now and then), and the same advice at most once every `repeatMs`.
 */
export class FramingPrompter {
  private since = new Map<FramingProblem, number>();
  private lastSaid = new Map<string, number>();
  constructor(private settleMs = 1500, private repeatMs = 10_000) {}

  /** The sentence to speak now, if any. */
  update(problems: FramingProblem[], nowMs: number): string | null {
    for (const p of [...this.since.keys()]) if (!problems.includes(p)) this.since.delete(p);
    for (const p of problems) if (!this.since.has(p)) this.since.set(p, nowMs);
    const main = mainProblem(problems);
    if (!main || nowMs - (this.since.get(main) ?? nowMs) < this.settleMs) return null;
    const text = framingAdvice[main].spoken;
    const last = this.lastSaid.get(text);
    if (last !== undefined && nowMs - last < this.repeatMs) return null;
    this.lastSaid.set(text, nowMs);
    return text;
  }
}

// Where the zones lie along C7 (0) to PSIS (1), as the analyser draws them (src/motion/spine.cpp,
// Ernst et al. 2013): neck above T1 / 2, lumbar from L1, sacrum from between L5 and S1.
export const zoneBounds: { zone: SpineZone; from: number; to: number; label: string }[] = [
  { zone: 'neck', from: -0.15, to: 0.02625, label: 'Neck' },
  { zone: 'thoracic', from: 0.02625, to: 0.709, label: 'Mid and upper back' },
  { zone: 'lumbar', from: 0.709, to: 0.93025, label: 'Lower back' },
  { zone: 'sacrum', from: 0.93025, to: 1.15, label: 'Pelvis' },
];

/** The marker's place on the spine bar, 0..1 from its top (the neck end). */
export function spinePosition(fraction: number): number {
  const lo = zoneBounds[0].from;
  const hi = zoneBounds[zoneBounds.length - 1].to;
  return Math.max(0, Math.min(1, (fraction - lo) / (hi - lo)));
}

export function zoneLabel(zone: string): string {
  return zoneBounds.find((z) => z.zone === zone)?.label ?? '';
}

/** A cue about safety: a stop, a back-off or anything urgent. It is never hidden by a form cue. */
export function isSafetyCue(cue: Cue): boolean {
  return cue.kind === 'stop' || cue.kind === 'back_off' || cue.priority === 'urgent';
}

export interface ShownCue {
  cue: Cue;
  atMs: number;
}

/**
 * The cue to show in large text, given the one shown now and the new cues of a message. A form
 * cue (from the camera) or a safety cue replaces what is shown, except that a safety cue stays for
 * at least `safetyHoldMs` whatever form cue comes after it. Other cues (tempo, countdown) leave it.
 */
export function nextShownCue(current: ShownCue | null, cues: Cue[], nowMs: number, safetyHoldMs = 8000): ShownCue | null {
  let shown = current;
  for (const cue of cues) {
    const safety = isSafetyCue(cue);
    if (!safety && cue.kind !== 'form') continue;
    if (!safety && shown && isSafetyCue(shown.cue) && nowMs - shown.atMs < safetyHoldMs) continue;
    shown = { cue, atMs: nowMs };
  }
  return shown;
}

export type CameraOffReason = 'denied' | 'no_camera' | 'insecure' | 'too_slow' | 'model_failed' | 'in_use';

/** The one line that says why the camera is off; the session goes on either way. */
export function cameraOffText(reason: CameraOffReason, detail = ''): string {
  const onward = 'The session goes on without it.';
  switch (reason) {
    case 'denied':
      return `Camera off: the browser was not allowed to use it. ${onward}`;
    case 'no_camera':
      return `Camera off: this device has no camera. ${onward}`;
    case 'insecure':
      return `Camera off: browsers allow the camera only on this computer (localhost) or over https. ${onward}`;
    case 'too_slow':
      return `Camera off: this device is too slow for the pose model${detail ? ` (${detail})` : ''}. ${onward}`;
    case 'in_use':
      return `Camera off: another app is using the camera. ${onward}`;
    case 'model_failed':
      return `Camera off: the pose model could not start${detail ? ` (${detail})` : ''}. ${onward}`;
  }
}

/** Maps a getUserMedia failure to a reason (DOMException names from the Media Capture spec). */
export function reasonForMediaError(name: string): CameraOffReason {
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'no_camera';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'in_use';
  return 'no_camera';
}

/** p-th percentile (0..1) of a list of numbers, nearest rank; NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/**
 * Frame pacing for a pose model on the page's main thread: the next frame may start `gapMs`
 * after the last one finished, with the gap chosen so that the model uses at most `share` of the
 * main thread (measured, averaged over recent frames) and never runs faster than `maxFps`.
 * Too slow: when even the paced rate stays under `minFps` for `graceFrames` frames.
 */
export class FramePacer {
  private recent: number[] = [];
  private slowFrames = 0;
  private seen = 0;
  constructor(private maxFps = 15, private share = 0.6, private minFps = 4, private graceFrames = 20) {}

  /** One frame's inference time. The first (the model warming up, often over a second) is not counted. */
  record(inferenceMs: number): void {
    if (this.seen++ === 0) return;
    this.recent.push(inferenceMs);
    if (this.recent.length > 15) this.recent.shift();
    this.slowFrames = 1000 / (inferenceMs / this.share) < this.minFps ? this.slowFrames + 1 : 0;
  }

  /** Typical inference time: the median of recent frames (one slow frame does not stall the next ones). */
  get typicalMs(): number {
    return this.recent.length ? percentile(this.recent, 0.5) : 0;
  }

  /** How long to wait after a frame finished before starting the next. */
  gapMs(): number {
    const typical = this.typicalMs;
    const period = Math.max(1000 / this.maxFps, typical / this.share);
    return Math.max(0, period - typical);
  }

  get tooSlow(): boolean {
    return this.slowFrames >= this.graceFrames;
  }
}
