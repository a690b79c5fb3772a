// What the session's buttons do before anything is sent, and the short instruction shown on the
// phone. Pure, tested in test/session-controls.test.ts.
import type { Snapshot } from './session-view';

export type TenderOutcome = { kind: 'send' } | { kind: 'queue'; message: string } | { kind: 'refuse'; message: string };

/**
 * A tender-spot press. The session engine holds a spot only while rolling and ignores the press
 * at any other time, so the page decides here: while rolling it is sent; during set-up, the
 * rest between steps or a side switch it is kept and sent the moment rolling starts; during a
 * hold, a pause or the finisher the page says why nothing happens.
 */
export function tenderPressOutcome(s: Snapshot): TenderOutcome {
  if (s.paused) return { kind: 'refuse', message: 'Paused: press Resume first, then Tender spot while you roll.' };
  if (s.hold) return { kind: 'refuse', message: 'You are already holding a spot: keep breathing slowly until the hold ends.' };
  switch (s.phase) {
    case 'rolling':
      return { kind: 'send' };
    case 'ready':
    case 'setup':
    case 'side_switch':
    case 'transition':
      return { kind: 'queue', message: 'Noted: the hold on this spot starts as soon as rolling begins.' };
    case 'hold':
      return { kind: 'refuse', message: 'You are already holding a spot: keep breathing slowly until the hold ends.' };
    case 'finisher':
      return { kind: 'refuse', message: 'No roller in the finisher, so there is no spot to hold. Move gently.' };
    default:
      return { kind: 'refuse', message: 'The session is over: there is nothing to hold.' };
  }
}

/** The instruction's first sentence, cut at a word near `max` characters; the rest is behind "More". */
export function shortInstruction(text: string, max = 90): string {
  const trimmed = text.trim();
  const sentence = /^(.+?[.!?])(\s|$)/.exec(trimmed)?.[1] ?? trimmed;
  if (sentence.length <= max) return sentence;
  const cut = sentence.lastIndexOf(' ', max - 1);
  return `${sentence.slice(0, cut > 40 ? cut : max - 1).replace(/[,;:]$/, '')}…`;
}
