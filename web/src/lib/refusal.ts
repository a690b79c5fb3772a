/** Why there is no plan today, as the plan screen shows it. */
export interface Refusal {
  text: string;
  /** The verdict's tier: 'emergency' shows the call link. */
  tier: string;
  /** Where the user goes next; 'clearance' shows the clearance form with the refusal. */
  link: '' | 'screening' | 'history' | 'clearance';
  /** What to do before rolling again, when the server gives it apart from the reason. */
  advice?: string;
}

/**
 * The server's own refusal (the body of a 409 from /api/plan): its kind says where to go next, its
 * tier whether to show the call link, and its reason is the sentence written for that tier.
 * Nothing is read from the wording. Null when the body has no kind (an older server).
 */
export function refusalOf(detail: Record<string, unknown>): Refusal | null {
  const kind = typeof detail.kind === 'string' ? detail.kind : '';
  const reason = typeof detail.reason === 'string' ? detail.reason : '';
  if (!kind || !reason) return null;
  const tier = typeof detail.tier === 'string' ? detail.tier : '';
  if (kind === 'no_screening') return { text: 'Answer the safety questions first: they decide what is safe to roll.', tier: '', link: 'screening' };
  if (kind === 'unfinished') return { text: reason, tier: '', link: 'screening' };
  if (kind === 'warning_sign') return { text: reason, tier, link: 'history' };
  if (kind === 'session_stop') {
    // The last session stopped for a warning sign: an emergency waits for a new screening once
    // the person has been checked; anything else for a clinician's clearance, recorded right here.
    const advice = typeof detail.advice === 'string' ? detail.advice : '';
    const clearable = Array.isArray(detail.clearable) && detail.clearable.length > 0;
    return { text: reason, tier, link: clearable ? 'clearance' : 'screening', advice };
  }
  return { text: reason, tier, link: 'screening' };
}
