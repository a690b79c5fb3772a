// <rc-clearance-form>: "a clinician has assessed this and said rolling is fine". Lists the flagged
// answers on record that a clearance can cover (never an emergency sign), asks who cleared the
// person and when, and any limits (zones to leave out, soft roller, gentle pressure, shorter
// sessions), then records it (POST /api/clearance). The server applies the rules (3 months, not
// for anything new or worse); the form says them. With `list`, also shows the clearances on record.
// Fires `rc-cleared` after recording.
// A therapist's patient detail points it at the patient's route (`endpoint`, clinic mode) and sets
// `clinician` for wording about the patient rather than "you"; `source` is the patient's
// clearances as the detail already has them, used when the endpoint has no list to GET.
// The minutes box is text with a numeric keyboard, not type="number" (lib/minutes.ts says why).
import { LitElement, html, nothing } from 'lit';
import { ApiError, getJson, postJson, type Clearance, type ClearanceList, type Zone } from '../lib/api';
import { clearanceRequest, coverable, emptyDraft, localToday, type ClearanceDraft } from '../lib/clearance';
import { longDate } from '../lib/calendar';
import { zoneLabel } from '../lib/zones';

/** "1 December 2026" for a date the server sends as "2026-12-01": an ISO date broke across lines at 390 px. */
function dateWords(iso: string | undefined): string {
  const day = (iso ?? '').slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? longDate(day) : (iso ?? '');
}

export class ClearanceForm extends LitElement {
  static properties = {
    zones: { attribute: false },
    list: { type: Boolean },
    endpoint: { type: String },
    clinician: { type: Boolean },
    source: { attribute: false },
    defaultBy: { attribute: false },
    state: { state: true },
    draft: { state: true },
    problem: { state: true },
    saved: { state: true },
    busy: { state: true },
  };

  declare zones: Zone[];
  declare list: boolean;
  declare endpoint: string;
  declare clinician: boolean;
  declare source: ClearanceList | null;
  /** Prefills "Cleared by" (the therapist's own name). */
  declare defaultBy: string;
  declare state: ClearanceList | null;
  declare draft: ClearanceDraft;
  declare problem: string;
  declare saved: Clearance | null;
  declare busy: boolean;

  constructor() {
    super();
    this.zones = [];
    this.list = false;
    this.endpoint = '/api/clearance';
    this.clinician = false;
    this.source = null;
    this.defaultBy = '';
    this.state = null;
    this.draft = emptyDraft([]);
    this.problem = '';
    this.saved = null;
    this.busy = false;
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
      this.state = await this.fetchList();
      this.draft = { ...emptyDraft(this.state.flagged), by: this.defaultBy };
      if (!this.zones.length) this.zones = await getJson<Zone[]>('/api/kb/zones');
    } catch (e) {
      this.problem = (e as Error).message;
    }
  }

  private async fetchList(): Promise<ClearanceList> {
    try {
      return await getJson<ClearanceList>(this.endpoint);
    } catch (e) {
      if (this.source && e instanceof ApiError && (e.status === 404 || e.status === 405)) return this.source;
      throw e;
    }
  }

  private set(patch: Partial<ClearanceDraft>) {
    this.draft = { ...this.draft, ...patch };
    this.problem = '';
  }

  private toggle(list: string[], id: string, on: boolean) {
    return on ? [...new Set([...list, id])] : list.filter((x) => x !== id);
  }

  private async submit(e: Event) {
    e.preventDefault();
    const built = clearanceRequest(this.draft, localToday());
    if ('problem' in built) {
      this.problem = built.problem;
      return;
    }
    this.busy = true;
    this.problem = '';
    try {
      this.saved = await postJson<Clearance>(this.endpoint, built.request);
      this.dispatchEvent(new CustomEvent('rc-cleared', { detail: this.saved, bubbles: true }));
      await this.load();
    } catch (err) {
      this.problem = err instanceof ApiError ? err.message : String(err);
    } finally {
      this.busy = false;
    }
  }

  private renderClearance(c: Clearance) {
    if (c.status === 'bare') return html`<li>Recorded ${dateWords(c.recorded_at)} without details: it lifted the check-in warnings before it.</li>`;
    const limits = c.limits;
    const said = [
      limits?.soft_roller_only ? 'soft roller only' : '',
      limits?.gentle_pressure_only ? 'gentle pressure only' : '',
      ...(limits?.excluded_zones ?? []).map((z) => `leave out ${zoneLabel(z, this.zones).toLowerCase()}`),
      limits?.max_session_minutes ? `at most ${limits.max_session_minutes} minutes` : '',
    ].filter(Boolean);
    return html`<li class="clearance ${c.status}">
      <p><strong>${c.by}</strong>, ${dateWords(c.on)}: ${c.status === 'in_force' ? `in force until ${dateWords(c.expires_on)}` : c.status === 'expired' ? `ran out on ${dateWords(c.expires_on)}` : 'not started yet'}</p>
      <p>Covers: ${(c.covers ?? []).map((r) => r.message || r.rule_id).join('; ')}</p>
      <p>Limits: ${said.length ? said.join(', ') : 'none'}</p>
    </li>`;
  }

  render() {
    const s = this.state;
    if (!s) return this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing;
    const flags = coverable(s.flagged);
    const emergency = s.flagged.some((f) => !f.clearable);
    const today = localToday();
    const d = this.draft;
    const rollable = this.zones.filter((z) => z.status !== 'no-go');
    return html`
      ${this.saved
        ? this.clinician
          ? html`<p class="saved" role="status">Recorded. The patient's plan keeps to these limits from now on.</p>`
          : html`<p class="saved" role="status">Recorded. Today's plan keeps to the limits your clinician set. <a href="#/plan">See today's plan</a></p>`
        : nothing}
      ${flags.length
        ? html`<details class="clearance-form" ?open=${this.list}>
            <summary>${this.clinician ? 'Record a clearance: you have assessed this and rolling is fine' : 'A clinician has checked this and said rolling is fine'}</summary>
            <form @submit=${this.submit} novalidate>
              <p class="hint">${this.clinician
                ? `It lasts ${s.valid_months} months from the date of the assessment, and it never covers an emergency sign or
                  anything new or worse after that date.`
                : html`Record it here. It lasts ${s.valid_months} months from the date they saw you, and it never covers
                an emergency sign or anything that is new or worse after that date: then stop and get checked again.`}</p>
              <fieldset>
                <legend>What they checked</legend>
                ${flags.map((f) => html`<label class="check"><input type="checkbox" name="covers" value=${f.rule_id}
                  .checked=${d.covers.includes(f.rule_id)}
                  @change=${(e: Event) => this.set({ covers: this.toggle(d.covers, f.rule_id, (e.target as HTMLInputElement).checked) })} />
                  ${f.message}</label>`)}
              </fieldset>
              <label class="field">${this.clinician ? 'Cleared by' : 'Who cleared you'}
                <input type="text" name="by" autocomplete="off" placeholder="Dr Patel, GP" .value=${d.by}
                  @input=${(e: Event) => this.set({ by: (e.target as HTMLInputElement).value })} /></label>
              <label class="field">${this.clinician ? 'Date of the assessment' : 'When they saw you'}
                <input type="date" name="on" max=${today} .value=${d.on}
                  @input=${(e: Event) => this.set({ on: (e.target as HTMLInputElement).value })} /></label>
              <fieldset>
                <legend>Limits they set (if any)</legend>
                <label class="check"><input type="checkbox" name="soft_roller" .checked=${d.softRoller}
                  @change=${(e: Event) => this.set({ softRoller: (e.target as HTMLInputElement).checked })} />Soft roller only</label>
                <label class="check"><input type="checkbox" name="gentle_pressure" .checked=${d.gentlePressure}
                  @change=${(e: Event) => this.set({ gentlePressure: (e.target as HTMLInputElement).checked })} />Gentle pressure only</label>
                <label class="field">Shorter sessions: at most (minutes)
                  <input type="text" name="max_minutes" inputmode="numeric" autocomplete="off" .value=${d.maxMinutes}
                    @input=${(e: Event) => this.set({ maxMinutes: (e.target as HTMLInputElement).value })} /></label>
                ${rollable.length
                  ? html`<p class="hint">Leave out:</p><div class="choices">${rollable.map((z) => html`<label class="pill"><input type="checkbox"
                      name="leave_out" value=${z.id} .checked=${d.leaveOut.includes(z.id)}
                      @change=${(e: Event) => this.set({ leaveOut: this.toggle(d.leaveOut, z.id, (e.target as HTMLInputElement).checked) })} />${zoneLabel(z.id, this.zones)}</label>`)}</div>`
                  : nothing}
              </fieldset>
              <label class="field">Anything else they said (optional)
                <input type="text" name="note" .value=${d.note} @input=${(e: Event) => this.set({ note: (e.target as HTMLInputElement).value })} /></label>
              ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
              <div class="row"><button class="primary" ?disabled=${this.busy}>Record the clearance</button></div>
            </form>
          </details>`
        : this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${emergency ? html`<p class="hint">An emergency sign is never covered by a clearance.</p>` : nothing}
      ${this.list
        ? html`<h3>Clearances on record</h3>${s.clearances.length
            ? html`<ul class="clearances">${s.clearances.map((c) => this.renderClearance(c))}</ul>`
            : html`<p>None yet.</p>`}`
        : nothing}
    `;
  }
}

customElements.define('rc-clearance-form', ClearanceForm);
