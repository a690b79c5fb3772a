// <rc-limits-editor patient=... .limits=... .zones=... .exercises=...>: a therapist's limits for
// one patient (zones left out, longest session, firmest roller, most pressure, exercises off).
// Saves with PUT /api/clinic/patients/{id}/limits and shows who set them and when; the patient's
// plan obeys them and says "your therapist set this". Fires `rc-limits-saved` with the answer.
import { LitElement, html, nothing } from 'lit';
import type { Zone } from '../lib/api';
import { zoneLabel } from '../lib/zones';
import { saveLimits, type Limits } from './clinic-api';
import { limitsDraft, limitsRequest, limitsSetByText, type LimitsDraft } from './clinic-format';

// The most pressure a plan may ask for, as two choices that show their whole words: a <select>
// cut "As usual: moderate at most" to "As usual: moderate at m" at 390 px.
const pressureChoices: [LimitsDraft['pressure'], string][] = [
  ['', 'As usual: moderate at most'],
  ['gentle', 'Gentle only'],
];

export interface ExerciseInfo {
  id: string;
  name: string;
}

export class LimitsEditor extends LitElement {
  static properties = {
    patient: { type: String },
    limits: { attribute: false },
    zones: { attribute: false },
    exercises: { attribute: false },
    draft: { state: true },
    problem: { state: true },
    saved: { state: true },
    busy: { state: true },
  };
  declare patient: string;
  declare limits: Limits | null;
  declare zones: Zone[];
  declare exercises: ExerciseInfo[];
  declare draft: LimitsDraft;
  declare problem: string;
  declare saved: boolean;
  declare busy: boolean;

  constructor() {
    super();
    this.patient = '';
    this.limits = null;
    this.zones = [];
    this.exercises = [];
    this.draft = limitsDraft(null);
    this.problem = '';
    this.saved = false;
    this.busy = false;
  }

  createRenderRoot() {
    return this;
  }

  willUpdate(changed: Map<string, unknown>) {
    if (changed.has('limits')) this.draft = limitsDraft(this.limits);
  }

  private set(patch: Partial<LimitsDraft>) {
    this.draft = { ...this.draft, ...patch };
    this.problem = '';
    this.saved = false;
  }

  private toggle(list: string[], id: string, on: boolean) {
    return on ? [...new Set([...list, id])] : list.filter((x) => x !== id);
  }

  private async submit(e: Event) {
    e.preventDefault();
    const built = limitsRequest(this.draft);
    if ('problem' in built) {
      this.problem = built.problem;
      return;
    }
    this.busy = true;
    try {
      const answer = await saveLimits(this.patient, built.limits);
      this.limits = answer;
      this.saved = true;
      this.dispatchEvent(new CustomEvent('rc-limits-saved', { detail: answer, bubbles: true }));
    } catch (err) {
      this.problem = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  render() {
    const d = this.draft;
    const rollable = this.zones.filter((z) => z.status !== 'no-go');
    return html`<form class="limits stack" @submit=${this.submit} novalidate>
      <p class="set-by">${limitsSetByText(this.limits)}</p>
      <fieldset>
        <legend>Zones to leave out</legend>
        <div class="choices">${rollable.map((z) => html`<label class="pill"><input type="checkbox" name="excluded_zone" value=${z.id}
          .checked=${d.excludedZones.includes(z.id)}
          @change=${(e: Event) => this.set({ excludedZones: this.toggle(d.excludedZones, z.id, (e.target as HTMLInputElement).checked) })} />${zoneLabel(z.id, this.zones)}</label>`)}</div>
        <p class="hint">The lower back is never rolled, whatever is set here.</p>
      </fieldset>
      <label class="field">Longest session (minutes; empty for no limit)
        <input type="text" name="max_minutes" inputmode="numeric" autocomplete="off" .value=${d.maxMinutes}
          @input=${(e: Event) => this.set({ maxMinutes: (e.target as HTMLInputElement).value })} /></label>
      <label class="field">Firmest roller allowed
        <select name="roller" .value=${d.roller} @change=${(e: Event) => this.set({ roller: (e.target as HTMLSelectElement).value as LimitsDraft['roller'] })}>
          <option value="" ?selected=${d.roller === ''}>No limit</option>
          <option value="soft" ?selected=${d.roller === 'soft'}>Soft</option>
          <option value="medium" ?selected=${d.roller === 'medium'}>Medium</option>
          <option value="firm" ?selected=${d.roller === 'firm'}>Firm</option>
        </select></label>
      <fieldset>
        <legend>Pressure</legend>
        <div class="choices">${pressureChoices.map(([value, label]) => html`<label class="pill"><input type="radio" name="pressure" value=${value}
          .checked=${d.pressure === value} @change=${() => this.set({ pressure: value })} />${label}</label>`)}</div>
      </fieldset>
      ${this.exercises.length
        ? html`<fieldset>
            <legend>Exercises</legend>
            <p class="hint">Untick an exercise to take it out of the patient's plans.</p>
            <div class="choices">${this.exercises.map((x) => html`<label class="pill"><input type="checkbox" name="exercise_on" value=${x.id}
              .checked=${!d.exercisesOff.includes(x.id)}
              @change=${(e: Event) => this.set({ exercisesOff: this.toggle(d.exercisesOff, x.id, !(e.target as HTMLInputElement).checked) })} />${x.name}</label>`)}</div>
          </fieldset>`
        : nothing}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.saved ? html`<p class="saved" role="status">Saved. The patient's next plan keeps to these limits and says you set them.</p>` : nothing}
      <div class="row"><button class="primary" ?disabled=${this.busy}>Save the limits</button></div>
    </form>`;
  }
}

customElements.define('rc-limits-editor', LimitsEditor);
