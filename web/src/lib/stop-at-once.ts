// Stop at once: after an answer, the answers given so far are evaluated by the server; when a
// reason of the emergency or "today" tier has already fired, the rest of the questions cannot
// lower it, so the screening ends there and the advice is shown. Pure, tested in
// test/stop-at-once.test.ts.
import type { Question, Verdict } from './api';
import type { Answer } from './answers';

export const urgentTiers = ['emergency', 'clinician_today'];

/** The verdict's fired reasons that settle it at once (emergency or today), most urgent first. */
export function settlingReasons(verdict: Verdict) {
  return verdict.reasons.filter((r) => urgentTiers.includes(r.tier));
}

/**
 * Whether an answer could fire a rule, so the partial answers are worth checking. Yes/no
 * questions are worded so that "yes" is the worrying answer (docs/triage.md); "no" and "not sure"
 * never fire a rule. Choices and numbers can (a fall with age over 70), so they are checked too.
 */
export function mayFlag(question: Question, value: Answer): boolean {
  if (value === 'unknown') return false;
  if (question.type === 'yes_no') return value === 'yes';
  return true;
}
