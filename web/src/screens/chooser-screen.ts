// <rc-chooser>: the roller chooser and profile: which rollers you own, experience, sensitivity,
// time and focus. Saves /api/profile and fires `rc-profile`.
import { LitElement, html, nothing } from 'lit';
import { getJson, postJson, type Tool } from '../lib/api';

export interface ProfileDoc {
  experience: string;
  sensitivity: string;
  rollers_owned: string[];
  minutes_available: number;
  focus: string[];
  when: string;
}

export const defaultProfile: ProfileDoc = {
  experience: 'first_time',
  sensitivity: 'normal',
  rollers_owned: [],
  minutes_available: 5,
  focus: [],
  when: 'anytime',
};

const experiences = [
  ['first_time', 'First time'],
  ['some', 'A few times'],
  ['regular', 'Regularly'],
];
const sensitivities = [
  ['normal', 'Normal'],
  ['high', 'Very sensitive'],
];
const minuteChoices = [5, 8, 10, 15];
const focuses = [
  ['mid_back', 'Mid-back'],
  ['lats_and_shoulders', 'Lats and shoulders'],
  ['glutes_and_hips', 'Glutes and hips'],
  ['hip_flexors', 'Front of the hips'],
];
const whens = [
  ['anytime', 'Any time'],
  ['before_bed', 'Before bed'],
  ['after_workout', 'After a workout'],
];

export class ChooserScreen extends LitElement {
  static properties = { tools: { state: true }, profile: { state: true }, error: { state: true }, saving: { state: true } };
  declare tools: Tool[];
  declare profile: ProfileDoc;
  declare error: string;
  declare saving: boolean;

  constructor() {
    super();
    this.tools = [];
    this.profile = { ...defaultProfile };
    this.error = '';
    this.saving = false;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    try {
      this.tools = await getJson<Tool[]>('/api/kb/tools');
      const saved = await getJson<{ profile: ProfileDoc | null }>('/api/profile');
      if (saved.profile) this.profile = { ...defaultProfile, ...saved.profile };
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private toggle(list: string[], id: string): string[] {
    return list.includes(id) ? list.filter((x) => x !== id) : [...list, id];
  }

  private async save() {
    this.saving = true;
    try {
      await postJson('/api/profile', this.profile);
      this.dispatchEvent(new CustomEvent('rc-profile', { detail: this.profile, bubbles: true }));
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      this.saving = false;
    }
  }

  private choice(name: string, label: string, options: string[][], value: string, set: (v: string) => void) {
    return html`<fieldset class="choices">
      <legend>${label}</legend>
      ${options.map(
        ([id, text]) => html`<label class="pill ${value === id ? 'chosen' : ''}">
          <input type="radio" name=${name} .checked=${value === id} @change=${() => set(id)} />${text}</label>`,
      )}
    </fieldset>`;
  }

  render() {
    const p = this.profile;
    return html`
      <section class="card" aria-labelledby="chooser-title">
        <h1 id="chooser-title">Your roller and you</h1>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <fieldset class="tools">
          <legend>Which rollers do you have? <span class="hint">(none ticked: we recommend one)</span></legend>
          ${this.tools.map(
            (tool) => html`<label class="tool ${p.rollers_owned.includes(tool.id) ? 'chosen' : ''}">
              <input type="checkbox" .checked=${p.rollers_owned.includes(tool.id)}
                @change=${() => (this.profile = { ...p, rollers_owned: this.toggle(p.rollers_owned, tool.id) })} />
              <span><strong>${tool.name}</strong><br /><span class="hint">${tool.good_for}</span></span>
              <rc-why for=${tool.id}></rc-why>
            </label>`,
          )}
        </fieldset>
        ${this.choice('experience', 'Have you used a foam roller before?', experiences, p.experience, (v) => (this.profile = { ...p, experience: v }))}
        ${this.choice('sensitivity', 'How sensitive is your back to pressure?', sensitivities, p.sensitivity, (v) => (this.profile = { ...p, sensitivity: v }))}
        <fieldset class="choices">
          <legend>Minutes you have</legend>
          ${minuteChoices.map(
            (m) => html`<label class="pill ${p.minutes_available === m ? 'chosen' : ''}">
              <input type="radio" name="minutes" .checked=${p.minutes_available === m} @change=${() => (this.profile = { ...p, minutes_available: m })} />${m} min</label>`,
          )}
        </fieldset>
        <fieldset class="choices">
          <legend>Anything to focus on? <span class="hint">(optional)</span></legend>
          ${focuses.map(
            ([id, text]) => html`<label class="pill ${p.focus.includes(id) ? 'chosen' : ''}">
              <input type="checkbox" .checked=${p.focus.includes(id)} @change=${() => (this.profile = { ...p, focus: this.toggle(p.focus, id) })} />${text}</label>`,
          )}
        </fieldset>
        ${this.choice('when', 'When do you roll?', whens, p.when, (v) => (this.profile = { ...p, when: v }))}
        <div class="row"><button type="button" class="primary big" ?disabled=${this.saving} @click=${this.save}>Show today's plan</button></div>
      </section>
    `;
  }
}

customElements.define('rc-chooser', ChooserScreen);
