// The messages that pick a session up after a dropped connection, and the short instruction
// shown on the phone. Pure, tested in test/session-controls.test.ts. (A tender-spot press is
// always sent: the session engine starts the hold or says why not.)
import type { Snapshot } from './session-view';

/** The start message that continues a session the server no longer has, from the step the page was on. */
export function continueMessage(s: Snapshot | null): { type: 'start'; from_step: number; from_exercise?: string } {
  const step = Math.max(0, s?.step ?? 0);
  return s?.exercise_id ? { type: 'start', from_step: step, from_exercise: s.exercise_id } : { type: 'start', from_step: step };
}

/** The message that takes over a session after a dropped connection (its key and the last message seen). */
export function resumeMessage(key: string, lastSeq: number): { type: 'resume'; session_key: string; last_seq: number } {
  return { type: 'resume', session_key: key, last_seq: lastSeq };
}

/** The instruction's first sentence, cut at a word near `max` characters; the rest is behind "More". */
export function shortInstruction(text: string, max = 90): string {
  const trimmed = text.trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(trimmed)?.[1] ?? trimmed;
  if (sentence.length <= max) return sentence;
  const cut = sentence.lastIndexOf(' ', max - 1);
  return `${sentence.slice(0, cut > 40 ? cut : max - 1).replace(/[,;:]$/, '')}…`;
}
