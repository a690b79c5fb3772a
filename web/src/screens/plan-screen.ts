// <rc-plan>: today's plan with the reason for every step and roller, the body map, and the
// pain rating before starting. Fires `rc-start` with {painBefore}.
import { LitElement, html, nothing } from 'lit';
import { ApiError, getJson, type Zone } from '../lib/api';
import { refusalOf, type Refusal } from '../lib/refusal';
import '../components/clearance-form';
import { formatDuration, isStopTier, tierHeadline } from '../lib/format';
import { screeningUnfinished } from '../lib/settings';
import { isSetByClinician } from '../clinic/clinic-format';

export interface PlanStep {
  exercise_id: string;
  name: string;
  kind: string;
  sides: string;
  tool_id: string;
  tool_name: string;
  target_zones: string[];
  setup: string[];
  movement: string;
  duration_s: number;
  per_side_s: number;
  repetitions: number;
  why: string;
  tool_why: string;
}

export interface PlanDoc {
  steps: PlanStep[];
  pressure: string;
  pressure_why: string;
  total_s: number;
  notes: string[];
  left_out: string[];
}

export class PlanScreen extends LitElement {
  static properties = { plan: { state: true }, zones: { state: true }, error: { state: true }, pain: { state: true }, refusal: { state: true } };
  declare plan: PlanDoc | null;
  declare zones: Zone[];
  declare error: string;
  declare pain: number | null;
  declare refusal: Refusal | null;

  constructor() {
    super();
    this.plan = null;
    this.zones = [];
    this.error = '';
    this.pain = null;
    this.refusal = null;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  /** After a clearance is recorded under the refusal: the plan it allows. */
  private reload() {
    this.refusal = null;
    this.plan = null;
    void this.load();
  }

  private async load() {
    try {
      this.zones = await getJson<Zone[]>('/api/kb/zones');
      this.plan = await getJson<PlanDoc>('/api/plan');
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) this.refusal = refusalOf(e.detail) ?? (await this.whyRefused(e.message));
      else this.error = (e as Error).message;
    }
  }

  /**
   * Older servers: why there is no plan, in the page's own words: the server's sentence starts with "No plan
   * today" (already the heading) and names the tier by its id, so the screening status is used.
   */
  private async whyRefused(message: string): Promise<Refusal> {
    const plain = message.replace(/^No plan today:\s*/i, '');
    try {
      const status = await getJson<{ screening: { tier: string } | null; blocked: boolean }>('/api/status');
      const tier = status.screening?.tier ?? '';
      if (!status.screening) return { text: 'Answer the safety questions first: they decide what is safe to roll.', tier: '', link: 'screening' };
      if (isStopTier(tier) && screeningUnfinished())
        return { text: 'Your safety questions are not finished. Finish them to get today\'s plan.', tier: '', link: 'screening' };
      if (isStopTier(tier)) return { text: `Your safety screening says: ${tierHeadline(tier)}.`, tier, link: 'screening' };
      if (status.blocked)
        return { text: 'A check-in reported a warning sign that has not been cleared. Answer the check-in again, or see a clinician first.', tier: '', link: 'history' };
    } catch {
      // fall through to the server's own words
    }
    return { text: plain.replace(/\s*\([a-z_]+\)/g, ''), tier: '', link: '' };
  }

  render() {
    if (this.refusal) {
      const r = this.refusal;
      return html`<section class="card" aria-labelledby="plan-title"><h1 id="plan-title">No plan today</h1>
        <p role="alert">${r.text}</p>
        ${r.advice ? html`<p class="advice">${r.advice}</p>` : nothing}
        ${r.tier === 'emergency' ? html`<rc-call></rc-call>` : nothing}
        ${r.link === 'screening' ? html`<p><a href="#/screening">${r.advice ? 'Answer the safety questions again' : 'See the safety questions and what to do'}</a></p>` : nothing}
        ${r.link === 'history' ? html`<p><a href="#/history">What to do about the warning sign</a></p>` : nothing}
        ${r.link === 'clearance'
          ? html`<rc-clearance-form .zones=${this.zones} @rc-cleared=${() => this.reload()}></rc-clearance-form>`
          : nothing}
      </section>`;
    }
    if (this.error)
      return html`<section class="card"><h1>Cannot load today's plan</h1><p class="error" role="alert">${this.error}</p></section>`;
    const plan = this.plan;
    if (!plan) return html`<section class="card"><p>Making today's plan…</p></section>`;
    const targets = [...new Set(plan.steps.flatMap((s) => s.target_zones))];
    // Limits a therapist (clinic mode) or a recorded clearance set come first, in a box of their
    // own, so the person sees at once that someone who examined them shaped today's plan.
    const setFor = plan.notes.filter(isSetByClinician);
    const otherNotes = plan.notes.filter((n) => !isSetByClinician(n));
    const byTherapist = setFor.some((n) => /your therapist/i.test(n));
    return html`
      <section class="card" aria-labelledby="plan-title">
        <h1 id="plan-title">Today's plan · <span class="duration">${formatDuration(plan.total_s)}</span></h1>
        ${setFor.length
          ? html`<section class="therapist-set" aria-labelledby="set-for-title">
              <h2 id="set-for-title">${byTherapist ? 'Your therapist set limits for you' : 'Limits your clinician set'}</h2>
              <ul>${setFor.map((n) => html`<li>${n}</li>`)}</ul>
            </section>`
          : nothing}
        <div class="plan-layout">
          <ol class="steps">
            ${plan.steps.map(
              (step) => html`<li>
                <h2>${step.name}</h2>
                <rc-exercise-picture exercise=${step.exercise_id}></rc-exercise-picture>
                <p class="meta">${step.kind === 'finisher'
                  ? `${step.repetitions} slow repetitions`
                  : `${formatDuration(step.per_side_s)}${step.sides === 'left_and_right' ? ' each side' : ''}`}${step.tool_name ? html` · ${step.tool_name}` : nothing}</p>
                <p>${step.why} <rc-why for=${step.exercise_id}></rc-why></p>
                ${step.tool_why ? html`<p class="hint">${step.tool_why}${step.tool_id ? html` <rc-why for=${step.tool_id} label="About this roller"></rc-why>` : nothing}</p>` : nothing}
              </li>`,
            )}
          </ol>
          <rc-body-map .zones=${this.zones} .current=${targets}></rc-body-map>
        </div>
        <p><strong>Pressure: ${plan.pressure}.</strong> ${plan.pressure_why}</p>
        ${otherNotes.length ? html`<ul class="notes">${otherNotes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
        ${plan.left_out.length ? html`<details><summary>Left out today</summary><ul>${plan.left_out.map((n) => html`<li>${n}</li>`)}</ul></details>` : nothing}
        <p class="rules"><rc-why for="no_lumbar" label="Why we never roll the lower back"></rc-why></p>
      </section>
      <section class="card" aria-labelledby="pain-before">
        <h2 id="pain-before">How much does your back hurt right now?</h2>
        <rc-pain-scale .value=${this.pain} @rc-pain=${(e: CustomEvent<number>) => (this.pain = e.detail)}></rc-pain-scale>
        <div class="row">
          <button type="button" class="primary big" ?disabled=${this.pain === null}
            @click=${() => this.dispatchEvent(new CustomEvent('rc-start', { detail: { painBefore: this.pain }, bubbles: true }))}>
            Start the session
          </button>
        </div>
      </section>
    `;
  }
}

customElements.define('rc-plan', PlanScreen);
