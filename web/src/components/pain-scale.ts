// <rc-pain-scale>: a 0-10 pain rating (0 no pain, 10 the worst imaginable) as eleven big buttons.
// Fires `rc-pain` with the number.
import { LitElement, html } from 'lit';

export class PainScale extends LitElement {
  static properties = { value: { attribute: false }, label: { type: String } };
  declare value: number | null;
  declare label: string;

  constructor() {
    super();
    this.value = null;
    this.label = 'Pain from 0 (none) to 10 (worst imaginable)';
  }

  createRenderRoot() {
    return this;
  }

  render() {
    return html`
      <div class="pain-scale" role="group" aria-label=${this.label}>
        ${Array.from({ length: 11 }, (_, n) => html`<button type="button" class="pain p${n} ${this.value === n ? 'chosen' : ''}"
            aria-pressed=${this.value === n ? 'true' : 'false'}
            @click=${() => this.dispatchEvent(new CustomEvent('rc-pain', { detail: n, bubbles: true }))}>${n}</button>`)}
      </div>
      <p class="scale-ends"><span>0 no pain</span><span>10 worst imaginable</span></p>
    `;
  }
}

customElements.define('rc-pain-scale', PainScale);
