// <rc-app>: the flow. First visit: safety screening (a stop tier ends there) -> roller chooser
// -> today's plan with its why -> session -> pain after -> summary -> history. A next-day
// check-in is offered when one is due. Screens are hash routes so the back button works.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ApiError, getJson, serverReachable, type Verdict, type Zone } from './lib/api';
import { backoffDelayMs } from './lib/backoff';
import { isStopTier } from './lib/format';
import { VoicePlayer } from './lib/voice';
import { routeFromHash, type Route } from './lib/route';
import type { ExplainDialog } from './components/explain-dialog';
import type { SessionSummary } from './screens/summary-screen';

interface Status {
  screening: { tier: string; taken_at: string } | null;
  profile: boolean;
  checkin_due: boolean;
  blocked: boolean;
  /** The coach's may-I-roll answer, after a clinician's clearance (docs/safety.md). */
  may_roll?: boolean;
}


export class RollcoachApp extends LitElement {
  static properties = {
    route: { state: true },
    status: { state: true },
    zones: { state: true },
    error: { state: true },
    painBefore: { state: true },
    summary: { state: true },
    offline: { state: true },
  };

  declare route: Route;
  declare status: Status | null;
  declare zones: Zone[];
  declare error: string;
  declare painBefore: number | null;
  declare summary: SessionSummary | null;
  declare offline: boolean;
  private voice = new VoicePlayer();
  private probeTimer = 0;
  private probeAttempt = 0;

  constructor() {
    super();
    this.route = routeFromHash(window.location.hash);
    this.status = null;
    this.zones = [];
    this.error = '';
    this.painBefore = null;
    this.summary = null;
    this.offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('hashchange', () => this.onHash());
    this.addEventListener('rc-explain', (e) => this.explainDialog()?.open((e as CustomEvent<{ id: string }>).detail.id));
    this.addEventListener('rc-verdict', (e) => this.onVerdict((e as CustomEvent<Verdict>).detail));
    this.addEventListener('rc-profile', () => this.go('plan'));
    this.addEventListener('rc-start', (e) => this.onStart((e as CustomEvent<{ painBefore: number }>).detail.painBefore));
    this.addEventListener('rc-finished', (e) => this.onFinished((e as CustomEvent<SessionSummary>).detail));
    window.addEventListener('offline', () => this.setOffline(true));
    window.addEventListener('rc-unreachable', () => this.setOffline(true));
    window.addEventListener('online', () => void this.refresh());
    void this.refresh();
  }

  /** Every new screen starts at its top. */
  protected updated(changed: PropertyValues) {
    if (changed.has('route') && changed.get('route') !== undefined) window.scrollTo(0, 0);
  }

  /** The server is out of reach: show the banner and look again with backoff. */
  private setOffline(offline: boolean) {
    this.offline = offline;
    window.clearTimeout(this.probeTimer);
    if (!offline) {
      this.probeAttempt = 0;
      return;
    }
    this.probeTimer = window.setTimeout(() => void this.probe(), backoffDelayMs(this.probeAttempt++));
  }

  private async probe() {
    if (await serverReachable()) return void this.refresh();
    this.setOffline(true);
  }

  private explainDialog(): ExplainDialog | null {
    return this.querySelector('rc-explain');
  }

  private async refresh() {
    // Reads may come from the offline cache, so the server itself is asked whether it is there.
    const reachable = serverReachable();
    try {
      const [status, zones] = await Promise.all([getJson<Status>('/api/status'), getJson<Zone[]>('/api/kb/zones')]);
      this.status = status;
      this.zones = zones;
      this.error = '';
      if (this.route === 'home') this.go(this.homeRoute(), true);
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'offline')) this.error = (e as Error).message;
    }
    this.setOffline(!(await reachable));
  }

  private homeRoute(): Route {
    const s = this.status;
    if (!s || !s.screening || (isStopTier(s.screening.tier) && !s.may_roll)) return 'screening';
    if (!s.profile) return 'setup';
    return 'plan';
  }

  private onHash() {
    const route = routeFromHash(window.location.hash);
    // A session only starts from the plan screen (it needs the pain rating and a click for audio).
    if (route === 'session' && this.painBefore === null) return this.go('plan', true);
    if (route === 'summary' && !this.summary) return this.go('history', true);
    this.route = route === 'home' ? this.homeRoute() : route;
    window.scrollTo(0, 0);
    if (this.offline) void this.probe();
  }

  private go(route: Route, replace = false) {
    const hash = `#/${route}`;
    if (replace) history.replaceState(null, '', hash);
    else if (window.location.hash !== hash) history.pushState(null, '', hash);
    this.route = route;
    window.scrollTo(0, 0);
  }

  private async onVerdict(verdict: Verdict) {
    await this.refresh();
    if (isStopTier(verdict.tier)) return;
    this.go(this.status?.profile ? 'plan' : 'setup');
  }

  private onStart(painBefore: number) {
    this.voice.unlock(); // inside the click: browsers only start audio after a user gesture
    this.painBefore = painBefore;
    this.go('session');
  }

  private onFinished(summary: SessionSummary) {
    this.summary = summary;
    this.painBefore = null;
    this.go('summary', true);
    void this.refresh();
  }

  render() {
    const inSession = this.route === 'session';
    return html`
      ${inSession
        ? nothing
        : html`<header class="top">
            <a class="brand" href="#/">rollcoach</a>
            <nav aria-label="Main">
              <a href="#/plan" aria-current=${this.route === 'plan' ? 'page' : 'false'}>Today</a>
              <a href="#/history" aria-current=${this.route === 'history' ? 'page' : 'false'}>History</a>
              <a href="#/setup" aria-current=${this.route === 'setup' ? 'page' : 'false'}>Roller</a>
              <a href="#/screening" aria-current=${this.route === 'screening' ? 'page' : 'false'}>Safety</a>
              <a href="#/settings" aria-current=${this.route === 'settings' ? 'page' : 'false'}>Settings</a>
            </nav>
          </header>`}
      <main id="main">
        ${this.offline && !inSession
          ? html`<div class="banner offline-app" role="alert"><p><strong>Offline:</strong> the rollcoach server is out of reach.
              You see what was saved last; nothing new can be saved until it is back.</p>
              <button type="button" @click=${() => void this.probe()}>Try again</button></div>`
          : nothing}
        ${this.error ? html`<p class="error banner" role="alert">${this.error}</p>` : nothing}
        ${this.status?.checkin_due && this.route !== 'checkin' && !inSession
          ? html`<aside class="banner checkin-due" aria-label="Check-in">
              <p>How did your back feel after your last session?</p>
              <a class="button primary" href="#/checkin">Do the 1-minute check-in</a>
            </aside>`
          : nothing}
        ${this.status?.blocked && !inSession
          ? html`<aside class="banner warn-card"><p>A check-in reported a warning sign: sessions are paused until a clinician has checked you.
              <a href="#/history">More</a></p></aside>`
          : nothing}
        ${this.renderRoute()}
      </main>
      <rc-explain></rc-explain>
      ${inSession ? nothing : html`<footer class="foot"><p>rollcoach is not medical advice. If something feels wrong, stop and ask a clinician.</p></footer>`}
    `;
  }

  private renderRoute() {
    switch (this.route) {
      case 'screening':
        return html`<rc-screening kind="screening" .zones=${this.zones}></rc-screening>`;
      case 'checkin':
        return html`<rc-screening kind="checkin" .zones=${this.zones} @rc-verdict=${(e: Event) => {
          e.stopPropagation();
          void this.refresh().then(() => this.go('plan'));
        }}></rc-screening>`;
      case 'setup':
        return html`<rc-chooser></rc-chooser>`;
      case 'plan':
        return html`<rc-plan></rc-plan>`;
      case 'session':
        return html`<rc-session .zones=${this.zones} .painBefore=${this.painBefore} .voice=${this.voice}></rc-session>`;
      case 'summary':
        return html`<rc-summary .data=${this.summary}></rc-summary>`;
      case 'history':
        return html`<rc-history .zones=${this.zones}></rc-history>`;
      case 'settings':
        return html`<rc-settings></rc-settings>`;
      default:
        return html`<section class="card"><p>Loading…</p></section>`;
    }
  }
}

customElements.define('rc-app', RollcoachApp);
