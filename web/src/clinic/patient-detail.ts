// <rc-clinic-patient patient=...>: one patient for their therapist (#/clinic/<id>). Warnings first;
// then the facts of the list, the report and exports, the charts (the same <rc-pain-chart> and
// <rc-weekly-chart> the patient's own history draws), the plan limits editor, clearances (the
// patient's <rc-clearance-form> pointed at the patient's route), and the sessions, check-ins and
// screenings on record.
import { LitElement, html, nothing } from 'lit';
import { ApiError, getJson, type ClearanceList, type Zone } from '../lib/api';
import { longDate } from '../lib/calendar';
import { painChartTitle, tierHeadline } from '../lib/format';
import { zoneLabel } from '../lib/zones';
import '../components/charts';
import '../components/clearance-form';
import './limits-editor';
import type { ExerciseInfo } from './limits-editor';
import { clinicPaths, findPatient, listAudit, type AuditEntry, type PatientDetail, type Row } from './clinic-api';
import {
  adherenceLevel,
  adherenceText,
  auditActionText,
  auditTime,
  checkinLine,
  lastSessionText,
  painTrendText,
  screeningLine,
  sessionLine,
  type RowLine,
} from './clinic-format';
import { clearedList, sparkline, stoppedList, warningList } from './patient-list';
import { localDateKey } from '../lib/format';

/** The detail's clearances as the clearance form's list (the detail may carry the whole GET /api/clearance answer or only the list). */
export function clearanceSource(detail: PatientDetail): ClearanceList {
  const c = detail.clearances;
  if (Array.isArray(c)) return { clearances: c, flagged: [], valid_months: 3 };
  return { clearances: c?.clearances ?? [], flagged: (c?.flagged ?? []) as ClearanceList['flagged'], valid_months: c?.valid_months ?? 3 };
}

export class ClinicPatient extends LitElement {
  static properties = {
    patient: { type: String },
    therapist: { type: String },
    detail: { state: true },
    zones: { state: true },
    exercises: { state: true },
    error: { state: true },
    audit: { state: true },
    historyLimit: { state: true },
  };
  declare patient: string;
  /** The logged-in therapist's name: prefills "Cleared by". */
  declare therapist: string;
  declare detail: PatientDetail | null;
  declare zones: Zone[];
  declare exercises: ExerciseInfo[];
  declare error: string;
  /** The audit log's lines for this patient; null until asked or when the server has none to give. */
  declare audit: AuditEntry[] | null;
  /** How many of the newest journal entries to ask for; undefined: the server's first page. */
  declare historyLimit: number | undefined;

  constructor() {
    super();
    this.patient = '';
    this.therapist = '';
    this.detail = null;
    this.zones = [];
    this.exercises = [];
    this.error = '';
    this.audit = null;
    this.historyLimit = undefined;
  }

  createRenderRoot() {
    return this;
  }

  updated(changed: Map<string, unknown>) {
    if (changed.has('patient')) {
      this.historyLimit = undefined;
      void this.load();
    }
  }

  /** `again`: after a change on the page; the page stays as it is (and the form keeps its "Recorded") until the new answer is in. */
  private async load(again = false) {
    if (!again) this.detail = null;
    this.error = '';
    try {
      const [detail, zones, exercises] = await Promise.all([
        findPatient(this.patient, this.historyLimit),
        getJson<Zone[]>('/api/kb/zones'),
        getJson<ExerciseInfo[]>('/api/kb/exercises').catch(() => [] as ExerciseInfo[]),
      ]);
      this.detail = detail;
      this.zones = zones;
      this.exercises = exercises;
    } catch (e) {
      this.error =
        e instanceof ApiError && e.status === 404
          ? 'There is no patient of yours with this id. Go back to your patient list.'
          : (e as Error).message;
    }
  }

  private async loadAudit(e: Event) {
    if (!(e.target as HTMLDetailsElement).open || this.audit) return;
    this.audit = await listAudit(this.patient).catch(() => []);
  }

  /** Asks for five times as many of each kind (at most 5,000, the server's limit). */
  private showOlder() {
    const shown = this.detail?.history?.limit ?? 50;
    this.historyLimit = Math.min(5000, shown * 5);
    void this.load(true);
  }

  private lines(title: string, id: string, kind: 'sessions' | 'checkins' | 'screenings', rows: Row[], line: (row: Row) => RowLine, empty: string) {
    const sorted = rows.map(line).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
    const history = this.detail?.history;
    // Each list is read up to the limit on its own; an older server says only whether all were.
    const partial = history !== undefined && !(history.complete_kinds?.[kind] ?? history.complete);
    return html`<section class="card" aria-labelledby=${id}>
      <h2 id=${id}>${title} (${rows.length}${partial ? '+' : ''})</h2>
      ${partial
        ? html`<p class="hint">The ${history.limit} newest (the report and the exports have them all).
            <button type="button" @click=${() => this.showOlder()}>Show older entries</button></p>`
        : nothing}
      ${sorted.length
        ? html`<ul class="record-lines">${sorted.map(
            (l) => html`<li class=${l.warn ? 'warn-line' : ''}><span class="line-date">${l.date ? longDate(l.date) : 'no date'}</span>
              ${l.warn ? html`<strong class="warn-tag">Warning</strong>` : nothing} <span>${l.text}</span></li>`,
          )}</ul>`
        : html`<p>${empty}</p>`}
    </section>`;
  }

  render() {
    const back = html`<p class="back"><a href="#/clinic">← All patients</a></p>`;
    if (this.error) return html`${back}<section class="card"><h1>Patient</h1><p class="error" role="alert">${this.error}</p></section>`;
    const d = this.detail;
    if (!d) return html`${back}<section class="card"><p>Loading the patient…</p></section>`;
    const p = d.patient;
    const trend = painTrendText(p.pain_trend);
    const offset = -new Date().getTimezoneOffset() * 60;
    const zoneName = (id: string) => zoneLabel(id, this.zones);
    return html`
      ${back}
      <section class="card ${p.warnings.length ? 'flagged-card' : ''}" aria-labelledby="patient-title">
        <h1 id="patient-title">${p.name}</h1>
        <p class="hint">${p.email}</p>
        ${p.warnings.length ? html`<h2 class="warn-heading">Warning signs (${p.warnings.length})</h2>${warningList(p)}` : nothing}
        ${clearedList(p)} ${stoppedList(p)}
        <dl class="patient-facts">
          <div><dt>Last session</dt><dd>${lastSessionText(p.last_session, localDateKey(new Date()))}</dd></div>
          <div><dt>Adherence, 4 weeks</dt><dd class="adherence ${adherenceLevel(p.adherence_4w)}">${adherenceText(p.adherence_4w)}</dd></div>
          <div><dt>Pain</dt><dd class="trend ${trend.direction}">${sparkline(p)} <span>${trend.text}</span></dd></div>
        </dl>
        <div class="row">
          <a class="button" href=${clinicPaths.report(p.id, offset)} download=${`rollcoach-${p.id}-report.pdf`}>Report (PDF)</a>
          <a class="button" href=${clinicPaths.export(p.id, 'fhir')} download=${`rollcoach-${p.id}-fhir.json`}>FHIR export</a>
          <a class="button" href=${clinicPaths.export(p.id, 'json')} download=${`rollcoach-${p.id}.json`}>JSON</a>
        </div>
      </section>
      ${d.stats
        ? html`<section class="card" aria-labelledby="pain-title">
              <h2 id="pain-title">${painChartTitle(d.stats.pain.sessions.length, d.stats.total_sessions)}</h2>
              <rc-pain-chart .sessions=${d.stats.pain.sessions} .total=${d.stats.total_sessions}></rc-pain-chart>
            </section>
            <section class="card" aria-labelledby="weeks-title">
              <h2 id="weeks-title">Sessions per week</h2>
              <rc-weekly-chart .weeks=${d.stats.weekly.weeks} .goal=${d.stats.weekly.goal}></rc-weekly-chart>
            </section>`
        : nothing}
      <section class="card" aria-labelledby="limits-title">
        <h2 id="limits-title">Plan limits</h2>
        <rc-limits-editor patient=${p.id} .limits=${d.limits} .zones=${this.zones} .exercises=${this.exercises}></rc-limits-editor>
      </section>
      <section class="card" aria-labelledby="clearances-title">
        <h2 id="clearances-title">Clearances</h2>
        <rc-clearance-form list clinician endpoint=${clinicPaths.clearance(p.id)} .source=${clearanceSource(d)}
          .defaultBy=${this.therapist} .zones=${this.zones} @rc-cleared=${() => void this.load(true)}></rc-clearance-form>
      </section>
      ${this.lines('Sessions', 'sessions-title', 'sessions', d.sessions ?? [], (r) => sessionLine(r, zoneName), 'No sessions yet.')}
      ${this.lines('Check-ins', 'checkins-title', 'checkins', d.checkins ?? [], checkinLine, 'No check-ins yet.')}
      ${this.lines('Screenings', 'screenings-title', 'screenings', d.screenings ?? [], (r) => screeningLine(r, tierHeadline), 'No screenings yet.')}
      <section class="card" aria-labelledby="audit-title">
        <h2 id="audit-title">Who opened this record</h2>
        <details @toggle=${this.loadAudit}><summary>Show the audit log</summary>
          ${this.audit === null
            ? html`<p>Loading…</p>`
            : this.audit.length
              ? html`<ul class="record-lines">${this.audit.slice(0, 100).map(
                  (a) => html`<li><span class="line-date">${auditTime(a.at)}</span> ${a.therapist} ${auditActionText(a.action)}</li>`,
                )}</ul>`
              : html`<p>Nothing recorded.</p>`}
        </details>
      </section>
    `;
  }
}

customElements.define('rc-clinic-patient', ClinicPatient);
