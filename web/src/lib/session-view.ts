// The session screen's model: what the server said last (a snapshot of the session machine)
// and where the clock is now. The server decides; this only interpolates the countdown between
// messages. Pure, tested in test/session-view.test.ts.

export interface HoldState {
  elapsed_ms: number;
  total_ms: number;
  on_spot_ms: number;
}

export interface Snapshot {
  phase: string;
  paused: boolean;
  step: number;
  step_count: number;
  exercise_id: string;
  exercise_name: string;
  tool_name: string;
  side: string;
  instructions: string[];
  phase_elapsed_ms: number;
  phase_total_ms: number;
  step_elapsed_ms: number;
  step_total_ms: number;
  session_elapsed_ms: number;
  session_total_ms: number;
  progress: number;
  next?: string | null;
  hold?: HoldState | null;
  /**
   * Back-off advice the session keeps standing until the user acts on it (rates the pain lower,
   * acknowledges it, or the exercise or the session changes): shown for as long as it is here.
   */
  advice?: Cue | null;
  end_reason: string;
}

export interface Cue {
  kind: string;
  text: string;
  at_ms: number;
  step: number;
  exercise_id: string;
  side: string;
  speak: boolean;
  priority: string;
  code: string;
  detail: string;
  stop_kind?: StopKind; // on the stop or done cue that ends the session
}

/** emergency: call for help; warning: see a clinician; caution or user: may be undone for a moment. */
export type StopKind = 'emergency' | 'warning' | 'caution' | 'user';

export interface SessionView {
  snapshot: Snapshot | null;
  receivedAtMs: number; // performance.now() when the snapshot arrived
  speed: number;
  lastCue: Cue | null;
  lastInstruction: Cue | null; // the last cue that is not a tempo beat or a countdown
  ended: boolean;
  stopped: boolean;
  stopMessage: string;
  stopWhatToDo: string;
  stopKind: StopKind | ''; // how the session ended, from the session's own stop cue
  undoUntilMs: number; // performance.now() until which the ending can be undone; 0 for never
  stepZones: string[][]; // target zones of each plan step, for the body map
}

export function initialView(speed = 1): SessionView {
  return {
    snapshot: null, receivedAtMs: 0, speed, lastCue: null, lastInstruction: null, ended: false, stopped: false, stopMessage: '',
    stopWhatToDo: '', stopKind: '', undoUntilMs: 0, stepZones: [],
  };
}

/**
 * The heading over an ended session: a safety stop, the user's own early end (it once read
 * "Well done: session complete" after "End the session" a few seconds in), or the end of the plan.
 */
export function endHeadline(view: SessionView): string {
  if (view.stopped) return 'Session stopped';
  if (view.snapshot?.end_reason === 'quit') return 'Session stopped early';
  return 'Well done: session complete';
}

/** Session milliseconds elapsed since the snapshot, given the page clock. Frozen while paused or over. */
function sinceSnapshot(view: SessionView, nowMs: number): number {
  const s = view.snapshot;
  if (!s || s.paused || view.ended) return 0;
  return Math.max(0, (nowMs - view.receivedAtMs) * view.speed);
}

export interface Progress {
  countdownMs: number; // time left in the current phase (hold, side, rest ...)
  step: number; // 0..1
  session: number; // 0..1
}

export function progressAt(view: SessionView, nowMs: number): Progress {
  const s = view.snapshot;
  if (!s) return { countdownMs: 0, step: 0, session: 0 };
  const dt = sinceSnapshot(view, nowMs);
  const clamp = (x: number) => Math.min(1, Math.max(0, x));
  let countdownMs = Math.max(0, s.phase_total_ms - s.phase_elapsed_ms - dt);
  if (s.hold) countdownMs = Math.max(0, s.hold.total_ms - s.hold.elapsed_ms - dt);
  return {
    countdownMs,
    step: s.step_total_ms > 0 ? clamp((s.step_elapsed_ms + dt) / s.step_total_ms) : 0,
    session: s.session_total_ms > 0 ? clamp((s.session_elapsed_ms + dt) / s.session_total_ms) : clamp(s.progress),
  };
}

interface Resumable {
  seq?: number; // the message's number; a resume sends the last one seen
  session_key?: string; // the key that resumes this session after a dropped connection
  resume_within_s?: number;
}

export type ServerMessage =
  | ({ type: 'started'; speed: number; snapshot: Snapshot; cues: Cue[]; speech: string[]; plan: { steps: { target_zones: string[] }[] } } & Resumable)
  | ({ type: 'resumed'; speed: number; snapshot: Snapshot; cues: Cue[]; plan: { steps: { target_zones: string[] }[] } } & Resumable)
  | ({ type: 'update'; snapshot: Snapshot; cues: Cue[] } & Resumable)
  | ({ type: 'ended'; snapshot: Snapshot; cues: Cue[]; end_reason: string; summary: Record<string, unknown>; undo_within_ms?: number } & Resumable)
  | { type: 'saved'; session_id: number; summary: Record<string, unknown> }
  // The journal did not answer: the server keeps the record, retries it and sends "saved" once written.
  | { type: 'pending'; message: string; reason?: string; kept?: 'disk' | 'memory' }
  | { type: 'error'; code: string; message: string };

/** Applies one server message to the view. */
export function applyMessage(view: SessionView, message: ServerMessage, nowMs: number): SessionView {
  switch (message.type) {
    case 'started':
    case 'resumed':
    case 'update':
    case 'ended': {
      const next: SessionView = { ...view, snapshot: message.snapshot, receivedAtMs: nowMs };
      if (message.type === 'started' || message.type === 'resumed') {
        next.speed = message.speed;
        next.stepZones = (message.plan?.steps ?? []).map((step) => step.target_zones ?? []);
      }
      const cues = message.cues ?? [];
      if (cues.length > 0) next.lastCue = cues[cues.length - 1];
      // A notice (the answer to a press) is shown as the latest beat, not as the instruction; a
      // back-off cue is the snapshot's standing advice, shown in its own place (snapshot.advice).
      const instructions = cues.filter((cue) => !['tempo', 'countdown', 'notice', 'back_off'].includes(cue.kind));
      if (instructions.length > 0) next.lastInstruction = instructions[instructions.length - 1];
      const stop = cues.find((cue) => cue.kind === 'stop');
      if (stop) {
        next.stopped = true;
        next.stopMessage = stop.text;
        next.stopWhatToDo = stop.detail;
      }
      const ending = cues.find((cue) => cue.stop_kind);
      if (ending?.stop_kind) next.stopKind = ending.stop_kind;
      const over = message.snapshot.phase === 'done' || message.snapshot.phase === 'stopped';
      if (message.type === 'ended' || over) {
        next.ended = true;
        if (message.snapshot.phase === 'stopped' || message.snapshot.end_reason === 'safety_stop') next.stopped = true;
        next.undoUntilMs = message.type === 'ended' && message.undo_within_ms ? nowMs + message.undo_within_ms : 0;
      } else if (view.ended) {
        // An undone stop: the session is back, paused where it stopped.
        Object.assign(next, { ended: false, stopped: false, stopMessage: '', stopWhatToDo: '', stopKind: '', undoUntilMs: 0 });
      }
      return next;
    }
    default:
      return view;
  }
}

/** The zones the current step works on (for the body map's highlight). */
export function currentTargets(view: SessionView): string[] {
  const step = view.snapshot?.step ?? -1;
  return step >= 0 && step < view.stepZones.length ? view.stepZones[step] : [];
}
