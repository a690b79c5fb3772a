// <rc-why for="id">: a "Why?" button that opens the knowledge base's explanation of `for`
// (a rule, exercise, zone, tool, screening rule ...) with its sources.
import { LitElement, html } from 'lit';

export function explain(from: EventTarget, id: string) {
  from.dispatchEvent(new CustomEvent('rc-explain', { detail: { id }, bubbles: true, composed: true }));
}

export class WhyLink extends LitElement {
  static properties = { for: { type: String }, label: { type: String } };
  declare for: string;
  declare label: string;

  constructor() {
    super();
    this.for = '';
    this.label = 'Why?';
  }

  createRenderRoot() {
    return this;
  }

  render() {
    return html`<button type="button" class="why" @click=${() => explain(this, this.for)}>${this.label}</button>`;
  }
}

customElements.define('rc-why', WhyLink);
