import { describe, expect, it } from 'vitest';
import { refusalOf } from '../src/lib/refusal';

describe('the plan refusal', () => {
  it('shows the call link for an emergency and sends the user to the screening', () => {
    const r = refusalOf({ kind: 'stop_tier', tier: 'emergency', reason: 'Do not roll: your answers point to a possible emergency.' });
    expect(r).toEqual({ text: 'Do not roll: your answers point to a possible emergency.', tier: 'emergency', link: 'screening' });
  });

  it('sends a blocking check-in warning to History, where the clearance form is', () => {
    const r = refusalOf({ kind: 'warning_sign', tier: 'clinician_soon', reason: 'No session for now: your check-in reported a warning sign.' });
    expect(r?.link).toBe('history');
    expect(r?.tier).toBe('clinician_soon');
  });

  it('asks an unfinished screening to be finished, without a tier', () => {
    expect(refusalOf({ kind: 'unfinished', tier: 'clinician_before', reason: 'Your safety questions are not finished.' })).toEqual({
      text: 'Your safety questions are not finished.',
      tier: '',
      link: 'screening',
    });
  });

  it('keeps a session stopped for a warning sign apart: the advice shown, the clearance form when a clinician can clear it', () => {
    const sharp = refusalOf({ kind: 'session_stop', tier: 'clinician_before_rolling', reason: 'No session for now: your session today stopped.',
      advice: 'Have a physiotherapist check it before you roll again.', clearable: ['stop_sharp_pain'] });
    expect(sharp).toEqual({ text: 'No session for now: your session today stopped.', tier: 'clinician_before_rolling', link: 'clearance',
      advice: 'Have a physiotherapist check it before you roll again.' });
    // An emergency: no clearance covers it; a new screening does once it has been checked and gone.
    const saddle = refusalOf({ kind: 'session_stop', tier: 'emergency', reason: 'No session for now.', advice: 'Call now.', clearable: [] });
    expect(saddle?.link).toBe('screening');
    expect(saddle?.tier).toBe('emergency');
  });

  it('leaves an older server body without a kind to the fallback', () => {
    expect(refusalOf({ code: 'conflict', message: 'No plan today' })).toBeNull();
  });
});
