// Clinic mode only (docs/clinic.md): <rc-login> (#/login) and <rc-invite token=...> (#/invite/<token>,
// a patient sets a password and is logged in). Both fire `rc-logged-in` with the Account. A
// failed login says only that the email and password do not match (never which one), and after
// too many attempts, when to try again.
import { LitElement, html, nothing } from 'lit';
import { acceptInvite, findInvite, logIn, type Invite } from '../clinic/clinic-api';
import { inviteProblem, loginProblem, passwordProblem } from '../clinic/clinic-format';
import { longDate } from '../lib/calendar';

function loggedIn(el: HTMLElement, account: unknown) {
  el.dispatchEvent(new CustomEvent('rc-logged-in', { detail: account, bubbles: true }));
}

export class LoginScreen extends LitElement {
  static properties = { problem: { state: true }, busy: { state: true } };
  declare problem: string;
  declare busy: boolean;

  constructor() {
    super();
    this.problem = '';
    this.busy = false;
  }

  createRenderRoot() {
    return this;
  }

  private async submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const email = (form.elements.namedItem('email') as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    if (!email || !password) {
      this.problem = 'Enter your email and your password.';
      return;
    }
    this.busy = true;
    this.problem = '';
    try {
      const account = await logIn(email, password);
      loggedIn(this, account);
    } catch (err) {
      this.problem = loginProblem(err);
      (form.elements.namedItem('password') as HTMLInputElement).value = '';
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`<section class="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Log in</h1>
      <p class="hint">This rollcoach is run by a clinic. Patients log in with the email their invite was sent to.</p>
      <form class="stack" @submit=${this.submit} novalidate>
        <label class="field">Email
          <input type="email" name="email" autocomplete="username" inputmode="email" required /></label>
        <label class="field">Password
          <input type="password" name="password" autocomplete="current-password" required /></label>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
        <div class="row"><button class="primary big" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button></div>
      </form>
      <p class="hint">No account yet, or forgotten your password? Ask your therapist or your clinic.</p>
    </section>`;
  }
}

export class InviteScreen extends LitElement {
  static properties = { token: { type: String }, invite: { state: true }, problem: { state: true }, fatal: { state: true }, busy: { state: true } };
  declare token: string;
  declare invite: Invite | null;
  declare problem: string;
  /** The link itself cannot be used: no form, only what to do. */
  declare fatal: string;
  declare busy: boolean;

  constructor() {
    super();
    this.token = '';
    this.invite = null;
    this.problem = '';
    this.fatal = '';
    this.busy = false;
  }

  createRenderRoot() {
    return this;
  }

  updated(changed: Map<string, unknown>) {
    if (changed.has('token')) void this.load();
  }

  private async load() {
    this.invite = null;
    this.fatal = '';
    if (!this.token) {
      this.fatal = inviteProblem(null);
      return;
    }
    try {
      this.invite = await findInvite(this.token);
    } catch (e) {
      this.fatal = inviteProblem(e);
    }
  }

  private async submit(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    const repeat = (form.elements.namedItem('repeat') as HTMLInputElement).value;
    this.problem = passwordProblem(password, repeat);
    if (this.problem) return;
    this.busy = true;
    try {
      const account = await acceptInvite(this.token, password);
      loggedIn(this, account);
    } catch (err) {
      const message = inviteProblem(err);
      // A used or expired link cannot be retried; a refused password (400) can.
      if (/used|expired|does not work/.test(message)) this.fatal = message;
      else this.problem = message;
    } finally {
      this.busy = false;
    }
  }

  render() {
    if (this.fatal)
      return html`<section class="card narrow" aria-labelledby="invite-title"><h1 id="invite-title">Invite link</h1>
        <p class="error" role="alert">${this.fatal}</p>
        <p><a href="#/login">Log in</a></p></section>`;
    const invite = this.invite;
    if (!invite) return html`<section class="card narrow"><p>Checking your invite…</p></section>`;
    return html`<section class="card narrow" aria-labelledby="invite-title">
      <h1 id="invite-title">Welcome, ${invite.name}</h1>
      <p>Your therapist invited you to rollcoach. Choose a password to finish; you will log in with
        <strong>${invite.email}</strong>.</p>
      ${/^\d{4}-\d{2}-\d{2}/.test(invite.expires) ? html`<p class="hint">This link works until ${longDate(invite.expires.slice(0, 10))}, once.</p>` : nothing}
      <form class="stack" @submit=${this.submit} novalidate>
        <input type="email" name="username" autocomplete="username" .value=${invite.email} hidden readonly />
        <label class="field">New password (at least 10 characters)
          <input type="password" name="password" autocomplete="new-password" minlength="10" required /></label>
        <label class="field">The same password again
          <input type="password" name="repeat" autocomplete="new-password" required /></label>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
        <div class="row"><button class="primary big" ?disabled=${this.busy}>Set my password</button></div>
      </form>
    </section>`;
  }
}

customElements.define('rc-login', LoginScreen);
customElements.define('rc-invite', InviteScreen);
