// <rc-call>: a tap-to-call link to the emergency number chosen in settings (999 UK, 112 EU,
// 911 US), shown with its country and a link to change it.
import { LitElement, html } from 'lit';
import { emergencyNumber, loadSettings, type Settings } from '../lib/settings';

export class EmergencyCall extends LitElement {
  static properties = { settings: { state: true } };
  declare settings: Settings;
  private readonly onSettings = (e: Event) => (this.settings = (e as CustomEvent<Settings>).detail);

  constructor() {
    super();
    this.settings = loadSettings();
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    window.addEventListener('rc-settings', this.onSettings);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.removeEventListener('rc-settings', this.onSettings);
  }

  render() {
    const e = emergencyNumber(this.settings);
    return html`<p class="call-row">
      <a class="button call" href="tel:${e.number}">Call ${e.number} now</a>
      <span class="hint">Emergency number for the ${e.country}. <a href="#/settings">Change the country</a></span>
    </p>`;
  }
}

customElements.define('rc-call', EmergencyCall);
