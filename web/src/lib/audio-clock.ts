// Mapping a cue's due time onto the audio clock. The server says when a cue is due in session
// milliseconds; the browser knows when the session started on performance.now(). Web Audio
// plays on AudioContext.currentTime, the hardware clock, which keeps running on time when the
// tab is in the background (timers there are throttled to once a second or less).

export interface ClockPair {
  perfMs: number; // performance.now() at the same instant as ...
  audioS: number; // ... AudioContext.currentTime
}

/**
 * The AudioContext time at which to start a sound due `dueInMs` from now (performance clock).
 * Never earlier than `minLeadS` ahead of the current audio time: a start time in the past
 * would play at once and a little late, which is what we want for an overdue cue.
 */
export function audioStartTime(pair: ClockPair, duePerfMs: number, minLeadS = 0.005): number {
  const target = pair.audioS + (duePerfMs - pair.perfMs) / 1000;
  return Math.max(target, pair.audioS + minLeadS);
}

/** Session time (ms since the session started, at speed 1 = wall ms) -> performance.now() ms. */
export function perfTimeForDue(sessionStartPerfMs: number, dueSessionMs: number, speed: number): number {
  return sessionStartPerfMs + dueSessionMs / Math.max(speed, 1e-9);
}
