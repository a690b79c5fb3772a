// <rc-explain>: the knowledge base's explanation of one id, with its sources, in a modal dialog.
import { LitElement, html, nothing } from 'lit';
import { getJson, type Explanation } from '../lib/api';

export class ExplainDialog extends LitElement {
  static properties = { explanation: { state: true }, error: { state: true } };
  declare explanation: Explanation | null;
  declare error: string;

  constructor() {
    super();
    this.explanation = null;
    this.error = '';
  }

  createRenderRoot() {
    return this;
  }

  async open(id: string) {
    this.error = '';
    this.explanation = null;
    this.dialog()?.showModal();
    try {
      this.explanation = await getJson<Explanation>(`/api/kb/explain/${encodeURIComponent(id)}`);
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  private dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  render() {
    const e = this.explanation;
    return html`
      <dialog class="explain" aria-labelledby="explain-title" @close=${() => (this.explanation = null)}>
        <h2 id="explain-title">${e ? e.title : this.error ? 'Could not load the explanation' : 'Loading…'}</h2>
        ${this.error ? html`<p class="error">${this.error}</p>` : nothing}
        ${e
          ? html`<p>${e.text}</p>
              ${e.sources.length
                ? html`<h3>Sources</h3>
                    <ul class="sources">
                      ${e.sources.map((s) => html`<li><cite>${s.citation}</cite>${s.note ? html`: ${s.note}` : nothing}</li>`)}
                    </ul>`
                : nothing}`
          : nothing}
        <form method="dialog"><button class="primary" value="close">Close</button></form>
      </dialog>
    `;
  }
}

customElements.define('rc-explain', ExplainDialog);
