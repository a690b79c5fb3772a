// <rc-app>: the flow. First visit: safety screening (a stop tier ends there) -> roller chooser
// -> today's plan with its why -> session -> pain after -> summary -> history. A next-day
// check-in is offered when one is due. Screens are hash routes so the back button works.
// Clinic mode (`rollcoach serve --clinic`, /api/status says "clinic"): nothing but #/login and
// #/invite/<token> until someone logs in; a therapist gets the patient list (#/clinic) and each
// patient (#/clinic/<id>), a patient the flow above on their own journal. Single-user mode has
// no login and never shows these.
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ApiError, getJson, serverReachable, type Verdict, type Zone } from './lib/api';
import { backoffDelayMs } from './lib/backoff';
import { isStopTier } from './lib/format';
import { VoicePlayer } from './lib/voice';
import { isPublicRoute, routeFromHash, routeParam, type Route } from './lib/route';
import { forgetCachedAnswers, logOut, whoAmI, type Account } from './clinic/clinic-api';
import type { ExplainDialog } from './components/explain-dialog';
import type { SessionSummary } from './screens/summary-screen';

interface Status {
  screening: { tier: string; taken_at: string } | null;
  profile: boolean;
  checkin_due: boolean;
  blocked: boolean;
  /** The coach's may-I-roll answer, after a clinician's clearance (docs/safety.md). */
  may_roll?: boolean;
  /** Clinic mode only: true, and the role of whoever is logged in (absent or null when nobody is). */
  clinic?: boolean;
  role?: string | null;
}

const therapistRoutes: Route[] = ['clinic', 'patient'];


export class RollcoachApp extends LitElement {
  static properties = {
    route: { state: true },
    status: { state: true },
    zones: { state: true },
    error: { state: true },
    painBefore: { state: true },
    summary: { state: true },
    offline: { state: true },
    clinic: { state: true },
    account: { state: true },
    param: { state: true },
    checked: { state: true },
  };

  declare route: Route;
  declare status: Status | null;
  declare zones: Zone[];
  declare error: string;
  declare painBefore: number | null;
  declare summary: SessionSummary | null;
  declare offline: boolean;
  /** The server runs clinic mode: accounts, login, the therapist's view. */
  declare clinic: boolean;
  declare account: Account | null;
  /** The route's parameter: the invite token or the patient id. */
  declare param: string;
  /** The first /api/status answer (or failure) is in: until then no screen is drawn, so none loads for the wrong mode. */
  declare checked: boolean;
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
    this.clinic = false;
    this.account = null;
    this.param = routeParam(window.location.hash);
    this.checked = false;
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
    this.addEventListener('rc-logged-in', (e) => void this.onLoggedIn((e as CustomEvent<Account>).detail));
    window.addEventListener('rc-logged-out', () => this.onLoggedOut());
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
      const [status, zones] = await Promise.all([this.readStatus(), getJson<Zone[]>('/api/kb/zones').catch(() => this.zones)]);
      this.status = status;
      this.zones = zones;
      this.error = '';
      // After a reload the cookie may still hold a session: /api/me says whose (and its CSRF token).
      if (this.clinic && !this.account) this.account = await whoAmI().catch(() => null);
      this.checked = true;
      this.guard();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'offline')) this.error = (e as Error).message;
    }
    this.checked = true;
    this.setOffline(!(await reachable));
  }

  /** GET /api/status; null when a clinic server wants a login first (401). */
  private async readStatus(): Promise<Status | null> {
    try {
      const status = await getJson<Status>('/api/status');
      this.clinic = status.clinic === true;
      return status;
    } catch (e) {
      // 401: nobody is logged in; 403: a therapist, who has no journal of their own.
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
        this.clinic = true;
        return null;
      }
      throw e;
    }
  }

  /**
   * Clinic mode: only the login and invite pages without an account, only the patient list and
   * detail for a therapist, never those for a patient. Single-user mode: none of the clinic pages.
   * Then "home" becomes the screen to start on.
   */
  private guard() {
    const route = this.route;
    if (!this.clinic) {
      if (isPublicRoute(route) || therapistRoutes.includes(route)) return this.go(this.homeRoute(), true);
    } else if (!this.account) {
      if (!isPublicRoute(route)) return this.go('login', true);
    } else if (route === 'login' || route === 'invite') {
      return this.go(this.homeRoute(), true);
    } else if (this.account.role === 'therapist' && !therapistRoutes.includes(route)) {
      return this.go('clinic', true);
    } else if (this.account.role !== 'therapist' && therapistRoutes.includes(route)) {
      return this.go(this.homeRoute(), true);
    }
    if (this.route === 'home') this.go(this.homeRoute(), true);
  }

  private async onLoggedIn(account: Account) {
    this.account = account;
    this.go(account.role === 'therapist' ? 'clinic' : 'home', true);
    await this.refresh();
  }

  private onLoggedOut() {
    if (!this.clinic) return;
    void forgetCachedAnswers();
    this.account = null;
    if (!isPublicRoute(this.route)) this.go('login', true);
  }

  private async logOut() {
    try {
      await logOut();
    } catch {
      // The session is forgotten on this page either way; the server ends it when it expires.
    }
    this.account = null;
    this.status = null;
    this.go('login', true);
  }

  private homeRoute(): Route {
    if (this.clinic && !this.account) return 'login';
    if (this.account?.role === 'therapist') return 'clinic';
    const s = this.status;
    if (!s || !s.screening || (isStopTier(s.screening.tier) && !s.may_roll)) return 'screening';
    if (!s.profile) return 'setup';
    return 'plan';
  }

  private onHash() {
    const route = routeFromHash(window.location.hash);
    this.param = routeParam(window.location.hash);
    // A session only starts from the plan screen (it needs the pain rating and a click for audio).
    if (route === 'session' && this.painBefore === null) return this.go('plan', true);
    if (route === 'summary' && !this.summary) return this.go('history', true);
    this.route = route === 'home' ? this.homeRoute() : route;
    if (this.status || this.clinic) this.guard();
    window.scrollTo(0, 0);
    if (this.offline) void this.probe();
  }

  private go(route: Route, replace = false) {
    const hash = route === 'patient' ? `#/clinic/${encodeURIComponent(this.param)}` : route === 'invite' ? `#/invite/${encodeURIComponent(this.param)}` : `#/${route}`;
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

  // Log out is an action, not a place: it sits beside the name, so that on a phone the menu's
  // places fit one row of their own (styles.css).
  private renderNav() {
    if (this.clinic && !this.account) return nothing;
    if (this.account?.role === 'therapist')
      return html`<nav aria-label="Main">
        <a href="#/clinic" aria-current=${therapistRoutes.includes(this.route) ? 'page' : 'false'}>Patients</a>
      </nav>`;
    return html`<nav aria-label="Main">
      <a href="#/plan" aria-current=${this.route === 'plan' ? 'page' : 'false'}>Today</a>
      <a href="#/history" aria-current=${this.route === 'history' ? 'page' : 'false'}>History</a>
      <a href="#/setup" aria-current=${this.route === 'setup' ? 'page' : 'false'}>Roller</a>
      <a href="#/screening" aria-current=${this.route === 'screening' ? 'page' : 'false'}>Safety</a>
      <a href="#/settings" aria-current=${this.route === 'settings' ? 'page' : 'false'}>Settings</a>
    </nav>`;
  }

  render() {
    const inSession = this.route === 'session';
    // The patient's banners belong to the patient's screens only.
    const patientScreen = !inSession && !isPublicRoute(this.route) && !therapistRoutes.includes(this.route);
    return html`
      ${inSession
        ? nothing
        : html`<header class="top">
            <a class="brand" href="#/">rollcoach</a>
            ${this.account ? html`<span class="who" title=${this.account.name}>${this.account.name}</span>` : nothing}
            ${this.account ? html`<button type="button" class="nav-button" @click=${() => void this.logOut()}>Log out</button>` : nothing}
            ${this.renderNav()}
          </header>`}
      <main id="main">
        ${this.offline && !inSession
          ? html`<div class="banner offline-app" role="alert"><p><strong>Offline:</strong> the rollcoach server is out of reach.
              You see what was saved last; nothing new can be saved until it is back.</p>
              <button type="button" @click=${() => void this.probe()}>Try again</button></div>`
          : nothing}
        ${this.error ? html`<p class="error banner" role="alert">${this.error}</p>` : nothing}
        ${this.status?.checkin_due && this.route !== 'checkin' && patientScreen
          ? html`<aside class="banner checkin-due" aria-label="Check-in">
              <p>How did your back feel after your last session?</p>
              <a class="button primary" href="#/checkin">Do the 1-minute check-in</a>
            </aside>`
          : nothing}
        ${this.status?.blocked && patientScreen
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
    if (!this.checked) return html`<section class="card"><p>Loading…</p></section>`;
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
      case 'login':
        return html`<rc-login></rc-login>`;
      case 'invite':
        return html`<rc-invite token=${this.param}></rc-invite>`;
      case 'clinic':
        return html`<rc-clinic></rc-clinic>`;
      case 'patient':
        return html`<rc-clinic-patient patient=${this.param} therapist=${this.account?.name ?? ''}></rc-clinic-patient>`;
      default:
        return html`<section class="card"><p>Loading…</p></section>`;
    }
  }
}

customElements.define('rc-app', RollcoachApp);
