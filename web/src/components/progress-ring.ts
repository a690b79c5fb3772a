// <rc-ring>: two concentric progress rings (outer: the whole session, inner: the current step)
// around a big countdown.
import { LitElement, html, svg } from 'lit';
import { ringDash } from './progress-ring-math';


export class ProgressRing extends LitElement {
  static properties = {
    step: { type: Number },
    session: { type: Number },
    label: { type: String },
    sublabel: { type: String },
  };

  declare step: number;
  declare session: number;
  declare label: string;
  declare sublabel: string;

  constructor() {
    super();
    this.step = 0;
    this.session = 0;
    this.label = '';
    this.sublabel = '';
  }

  createRenderRoot() {
    return this;
  }

  render() {
    return html`
      <div class="ring" role="timer" aria-live="off" aria-label=${`${this.label} ${this.sublabel}`}>
        <svg viewBox="0 0 200 200" aria-hidden="true">
          <circle class="track" cx="100" cy="100" r="92" />
          <circle class="session-arc" cx="100" cy="100" r="92" stroke-dasharray=${ringDash(this.session, 92)} />
          <circle class="track" cx="100" cy="100" r="76" />
          <circle class="step" cx="100" cy="100" r="76" stroke-dasharray=${ringDash(this.step, 76)} />
          ${svg`<text class="count" x="100" y="108" text-anchor="middle">${this.label}</text>`}
          ${svg`<text class="sub" x="100" y="138" text-anchor="middle">${this.sublabel}</text>`}
        </svg>
      </div>
    `;
  }
}

customElements.define('rc-ring', ProgressRing);
