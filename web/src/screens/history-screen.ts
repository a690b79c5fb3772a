// <rc-history>: the streak calendar, pain before/after per session (<rc-pain-chart>), minutes per zone,
// next-day soreness, and the export buttons.
import { LitElement, html, nothing } from 'lit';
import { getJson, type Zone } from '../lib/api';
import '../components/clearance-form';
import '../components/charts';
import { calendarWeeks, longDate, monthOfFirst, weekMonthLabel } from '../lib/calendar';
import { localDateKey, noRecentCheckinsText, painChartTitle, sorenessSummary } from '../lib/format';
import { zoneLabel } from '../lib/zones';

/** GET /api/stats: the journal's statistics (docs/journal.md) plus the days with a session. */
export interface StatsDoc {
  total_sessions: number;
  streak: { current_days: number; longest_days: number };
  weekly: { goal: number; weeks: { week_of: string; sessions: number }[] };
  session_days: string[];
  minutes_per_zone: { zone: string; minutes: number | null }[];
  pain: {
    sessions: { session_id: number; started_at: string; before: number | null; after: number | null }[];
    since_first_week: { size: string; direction: string; points?: number | null; percent?: number | null };
  };
  next_day_soreness: {
    checkins_last_14_days: number;
    average: number | null;
    high: number;
    recent: number[];
    repeated_high: boolean;
    /** The newest check-in of all (UTC), in the 14 days or not; null before the first. */
    last_checkin_at?: string | null;
  };
  blocked_by_warning: unknown | null;
}

export class HistoryScreen extends LitElement {
  static properties = { stats: { state: true }, error: { state: true }, cleared: { state: true }, zones: { attribute: false } };
  declare zones: Zone[];
  declare stats: StatsDoc | null;
  declare error: string;
  declare cleared: boolean;

  constructor() {
    super();
    this.stats = null;
    this.zones = [];
    this.error = '';
    this.cleared = false;
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
      const offset = -new Date().getTimezoneOffset() * 60;
      this.stats = await getJson<StatsDoc>(`/api/stats?utc_offset=${offset}`);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  render() {
    if (this.error) return html`<section class="card"><h1>History</h1><p class="error" role="alert">${this.error}</p></section>`;
    const s = this.stats;
    if (!s) return html`<section class="card"><p>Loading your history…</p></section>`;
    const weeks = calendarWeeks(s.session_days, localDateKey(new Date()), 6);
    const zones = s.minutes_per_zone.map((z) => ({ zone: z.zone, minutes: z.minutes ?? 0 }));
    const maxMinutes = Math.max(1, ...zones.map((z) => z.minutes));
    const change = s.pain.since_first_week;
    return html`
      <section class="card" aria-labelledby="streak-title">
        <h1 id="streak-title">Your streak: ${s.streak.current_days} day${s.streak.current_days === 1 ? '' : 's'}</h1>
        <p class="hint">Longest: ${s.streak.longest_days}. Sessions so far: ${s.total_sessions}. Weekly goal: ${s.weekly.goal} sessions.</p>
        <table class="calendar" aria-label="Days with a session, last six weeks">
          <thead><tr><td class="month"></td>${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d) => html`<th scope="col">${d}</th>`)}</tr></thead>
          <tbody>
            ${weeks.map(
              (week, i) => html`<tr><th scope="row" class="month">${weekMonthLabel(week, i)}</th>${week.map(
                (day) => html`<td class="${day.rolled ? 'rolled' : ''} ${day.today ? 'today' : ''} ${day.future ? 'future' : ''} ${day.date.endsWith('-01') ? 'first' : ''}"
                  aria-label="${longDate(day.date)}${day.rolled ? ': rolled' : ''}">${monthOfFirst(day)
                  ? html`<span class="month-start" aria-hidden="true">${monthOfFirst(day)}</span>` : nothing}${Number(day.date.slice(8))}</td>`,
              )}</tr>`,
            )}
          </tbody>
        </table>
      </section>
      ${s.blocked_by_warning
        ? html`<section class="card warn-card"><h2>Sessions are paused</h2>
            <p>A check-in reported a warning sign. Once a clinician has checked you and said rolling is fine, record it here.</p>
            <rc-clearance-form .zones=${this.zones} @rc-cleared=${() => {
              this.cleared = true;
              void this.load();
            }}></rc-clearance-form></section>`
        : this.cleared
          ? html`<section class="card"><p class="saved" role="status">Recorded: the warning sign no longer pauses your sessions.
              Today's plan keeps to the limits your clinician set. <a href="#/plan">See today's plan</a></p></section>`
          : nothing}
      <section class="card" aria-labelledby="pain-title">
        <h2 id="pain-title">${painChartTitle(s.pain.sessions.length, s.total_sessions)}</h2>
        <rc-pain-chart .sessions=${s.pain.sessions} .total=${s.total_sessions}></rc-pain-chart>
        <p>${change.size === 'meaningful'
          ? `Compared with your first week, your pain is clearly ${change.direction === 'better' ? 'lower' : 'higher'}.`
          : change.size === 'small'
            ? 'Compared with your first week, the change is small so far.'
            : 'Not enough ratings yet to compare with your first week.'}</p>
      </section>
      <section class="card" aria-labelledby="zones-title">
        <h2 id="zones-title">Minutes per zone</h2>
        ${zones.length
          ? html`<ul class="bars">${zones.map(
              (z) => html`<li><span class="bar-label">${zoneLabel(z.zone, this.zones)}</span>
                <meter min="0" max=${maxMinutes} value=${z.minutes} aria-label="${zoneLabel(z.zone, this.zones)} minutes"></meter>
                <span class="bar-value">${z.minutes.toFixed(1)} min</span></li>`,
            )}</ul>`
          : html`<p>No minutes yet.</p>`}
      </section>
      <section class="card" aria-labelledby="soreness-title">
        <h2 id="soreness-title">Next-day soreness</h2>
        ${s.next_day_soreness.checkins_last_14_days
          ? html`<p>${sorenessSummary(s.next_day_soreness.checkins_last_14_days, s.next_day_soreness.average)}
              ${s.next_day_soreness.repeated_high ? 'Soreness has been high: your next sessions will be shorter and softer.' : ''}</p>
              <p class="soreness-row">${s.next_day_soreness.recent.map((n) => html`<span class="chip">${n}</span>`)}</p>`
          : html`<p>${noRecentCheckinsText(s.next_day_soreness.last_checkin_at)}</p>`}
      </section>
      <section class="card" aria-labelledby="export-title">
        <h2 id="export-title">Export your journal</h2>
        <div class="row">
          <a class="button" href="/api/export?format=json" download="rollcoach.json">JSON</a>
          <a class="button" href="/api/export?format=csv&table=sessions" download="rollcoach-sessions.csv">Sessions (CSV)</a>
          <a class="button" href="/api/export?format=csv&table=pain_ratings" download="rollcoach-pain.csv">Pain (CSV)</a>
          <a class="button" href="/api/export?format=fhir" download="rollcoach-fhir.json">FHIR (for your clinic)</a>
          <a class="button" href=${`/api/report.pdf?utc_offset=${-new Date().getTimezoneOffset() * 60}`} download="rollcoach-report.pdf"
            >Report for your clinician (PDF)</a>
        </div>
      </section>
    `;
  }
}

customElements.define('rc-history', HistoryScreen);
