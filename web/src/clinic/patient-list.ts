// <rc-clinic>: the therapist's patient list (#/clinic). Patients with warning signs come first,
// marked in red with what happened (red flag, check-in warning, a session stopped for a warning sign); then everyone by
// their last session. Each row: last session, adherence over 4 weeks, the pain trend as words and
// a sparkline; a flagged answer a clinician has cleared is shown as cleared (who, when). Below:
// invite a patient (the one-time link is shown once, to copy).
import { LitElement, html, nothing, svg } from 'lit';
import { invitePatient, listPatients, type PatientSummary } from './clinic-api';
import {
  adherenceLevel,
  adherenceText,
  clearedText,
  filterPatients,
  inviteUrl,
  lastSessionText,
  painTrendText,
  sortPatients,
  sortWarnings,
  sparklinePoints,
  stoppedText,
  warningKindLabel,
} from './clinic-format';
import { localDateKey } from '../lib/format';
import { longDate } from '../lib/calendar';

export function sparkline(p: PatientSummary) {
  const points = sparklinePoints(p.pain_trend?.points ?? [], 96, 28);
  if (!points) return nothing;
  return svg`<svg class="sparkline" viewBox="0 0 96 28" width="96" height="28" aria-hidden="true" focusable="false">
    <line x1="2" x2="94" y1="26" y2="26" class="spark-base"></line>
    <polyline points=${points} class="spark-line"></polyline></svg>`;
}

export function warningList(p: PatientSummary, limit = Infinity) {
  const warnings = sortWarnings(p.warnings);
  const shown = warnings.slice(0, limit);
  return html`<ul class="warnings">${shown.map(
    (w) => html`<li class="warning ${w.kind}"><strong>${warningKindLabel(w.kind)}</strong>${w.at ? html` · ${longDate(w.at.slice(0, 10))}` : nothing}${w.text ? html`: ${w.text}` : nothing}</li>`,
  )}${warnings.length > shown.length ? html`<li class="more">and ${warnings.length - shown.length} more</li>` : nothing}</ul>`;
}

/** Warnings lifted (a clinician's clearance, or a screening since an emergency sign): the server lists them under "cleared". */
export function clearedList(p: PatientSummary) {
  const cleared = p.cleared ?? [];
  if (!cleared.length) return nothing;
  return html`<ul class="cleared">${cleared.map((c) => html`<li>${warningKindLabel(c.kind)}: ${clearedText(c)}</li>`)}</ul>`;
}

/** Sessions stopped for a reason that holds nothing back (dizziness, "feels wrong"): history, not warning signs. */
export function stoppedList(p: PatientSummary, limit = Infinity) {
  const stopped = p.stopped ?? [];
  if (!stopped.length) return nothing;
  const shown = stopped.slice(0, limit);
  return html`<ul class="stopped">${shown.map((s) => html`<li>${stoppedText(s)}</li>`)}${stopped.length > shown.length
    ? html`<li class="more">and ${stopped.length - shown.length} more</li>`
    : nothing}</ul>`;
}

export class ClinicList extends LitElement {
  static properties = {
    patients: { state: true },
    error: { state: true },
    inviteLink: { state: true },
    inviteProblem: { state: true },
    busy: { state: true },
    copied: { state: true },
    query: { state: true },
  };
  declare patients: PatientSummary[] | null;
  declare error: string;
  declare inviteLink: string;
  declare inviteProblem: string;
  declare busy: boolean;
  declare copied: boolean;
  declare query: string;

  constructor() {
    super();
    this.patients = null;
    this.error = '';
    this.inviteLink = '';
    this.inviteProblem = '';
    this.busy = false;
    this.copied = false;
    this.query = '';
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
      this.patients = sortPatients(await listPatients());
      this.error = '';
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private async invite(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
    if (!name || !/^[^\s@]+@[^\s@]+$/.test(email)) {
      this.inviteProblem = 'Give the patient\'s name and an email address.';
      return;
    }
    this.busy = true;
    this.inviteProblem = '';
    this.copied = false;
    try {
      const answer = await invitePatient(name, email);
      this.inviteLink = inviteUrl(answer.link, window.location.origin);
      form.reset();
    } catch (err) {
      this.inviteProblem = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  private async copy() {
    try {
      await navigator.clipboard.writeText(this.inviteLink);
      this.copied = true;
    } catch {
      // No clipboard (plain http off loopback): select the text so it can be copied by hand.
      this.querySelector<HTMLInputElement>('.invite-link input')?.select();
    }
  }

  private renderPatient(p: PatientSummary, today: string) {
    const trend = painTrendText(p.pain_trend);
    const flagged = p.warnings.length > 0;
    return html`<li class="patient ${flagged ? 'flagged' : ''}">
      <a class="patient-link" href="#/clinic/${encodeURIComponent(p.id)}">
        <span class="patient-name">${flagged ? html`<span class="flag-mark" aria-hidden="true">!</span>` : nothing}${p.name}</span>
        ${flagged ? html`<span class="visually-hidden">, has warning signs</span>` : nothing}
      </a>
      ${flagged ? warningList(p, 2) : nothing}
      ${clearedList(p)}
      ${stoppedList(p, 1)}
      <dl class="patient-facts">
        <div><dt>Last session</dt><dd>${lastSessionText(p.last_session, today)}</dd></div>
        <div><dt>Adherence, 4 weeks</dt><dd class="adherence ${adherenceLevel(p.adherence_4w)}">${adherenceText(p.adherence_4w)}</dd></div>
        <div><dt>Pain</dt><dd class="trend ${trend.direction}">${sparkline(p)} <span>${trend.text}</span></dd></div>
      </dl>
    </li>`;
  }

  private renderList(shown: PatientSummary[], today: string) {
    if (!shown.length) return html`<p role="status">No patient's name or email has "${this.query.trim()}".</p>`;
    return html`<ul class="patients">${shown.map((p) => this.renderPatient(p, today))}</ul>`;
  }

  render() {
    const today = localDateKey(new Date());
    const patients = this.patients;
    const flagged = patients?.filter((p) => p.warnings.length).length ?? 0;
    return html`
      <section class="card" aria-labelledby="patients-title">
        <h1 id="patients-title">Your patients</h1>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${!patients && !this.error ? html`<p>Loading your patients…</p>` : nothing}
        ${patients && patients.length === 0 ? html`<p>No patients yet. Invite one below.</p>` : nothing}
        ${patients && patients.length
          ? html`<p class="hint">${patients.length} patient${patients.length === 1 ? '' : 's'}${flagged
              ? html`; <strong class="flag-count">${flagged} with warning signs, listed first</strong>`
              : '; none with warning signs'}.</p>
              ${patients.length > 8
                ? html`<label class="field find">Find a patient
                    <input type="search" name="find" autocomplete="off" .value=${this.query}
                      @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} /></label>`
                : nothing}
              ${this.renderList(filterPatients(patients, this.query), today)}`
          : nothing}
      </section>
      <section class="card" aria-labelledby="invite-title">
        <h2 id="invite-title">Invite a patient</h2>
        <form class="stack" @submit=${this.invite} novalidate>
          <label class="field">Name <input type="text" name="name" autocomplete="off" required /></label>
          <label class="field">Email <input type="email" name="email" autocomplete="off" inputmode="email" required /></label>
          ${this.inviteProblem ? html`<p class="error" role="alert">${this.inviteProblem}</p>` : nothing}
          <div class="row"><button class="primary" ?disabled=${this.busy}>Create the invite link</button></div>
        </form>
        ${this.inviteLink
          ? html`<div class="invite-link" role="status">
              <p>Give this link to the patient. It works once; it is not shown again.</p>
              <label class="field">One-time link <input type="text" readonly .value=${this.inviteLink} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} /></label>
              <div class="row"><button type="button" @click=${this.copy}>${this.copied ? 'Copied' : 'Copy the link'}</button></div>
            </div>`
          : nothing}
      </section>
    `;
  }
}

customElements.define('rc-clinic', ClinicList);
