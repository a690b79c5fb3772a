// <rc-summary>: what was just done: time, steps, tender spots, pain before and after (with an
// honest note that one session's change is not a trend).
import { LitElement, html, nothing } from 'lit';
import { formatDuration } from '../lib/format';

export interface SessionSummary {
  session_id: number;
  summary: {
    end_reason?: string;
    active_ms?: number;
    steps_completed?: number;
    steps_total?: number;
    tender_spots?: number;
    back_offs?: number;
    stop_message?: string;
  };
  painBefore: number | null;
  painAfter: number | null;
}

export function painChangeText(before: number | null, after: number | null): string {
  if (before === null || after === null) return '';
  const change = after - before;
  if (change === 0) return `Pain ${before} before and ${after} after: the same.`;
  const direction = change < 0 ? 'lower' : 'higher';
  return `Pain ${before} before, ${after} after: ${Math.abs(change)} point${Math.abs(change) === 1 ? '' : 's'} ${direction}. One session says little; the trend over weeks is what counts.`;
}

export class SummaryScreen extends LitElement {
  static properties = { data: { attribute: false } };
  declare data: SessionSummary | null;

  constructor() {
    super();
    this.data = null;
  }

  createRenderRoot() {
    return this;
  }

  render() {
    const d = this.data;
    if (!d) return nothing;
    const s = d.summary;
    return html`
      <section class="card" aria-labelledby="summary-title">
        <h1 id="summary-title">${s.end_reason === 'safety_stop' ? 'Session stopped for your safety' : 'Session summary'}</h1>
        <dl class="facts">
          <div><dt>Time rolling</dt><dd>${formatDuration((s.active_ms ?? 0) / 1000)}</dd></div>
          <div><dt>Steps done</dt><dd>${s.steps_completed ?? 0} of ${s.steps_total ?? 0}</dd></div>
          <div><dt>Tender spots held</dt><dd>${s.tender_spots ?? 0}</dd></div>
          ${d.painBefore !== null ? html`<div><dt>Pain before</dt><dd>${d.painBefore}</dd></div>` : nothing}
          ${d.painAfter !== null ? html`<div><dt>Pain after</dt><dd>${d.painAfter}</dd></div>` : nothing}
        </dl>
        <p>${painChangeText(d.painBefore, d.painAfter)}</p>
        <p class="hint">Come back tomorrow: rollcoach will ask how your back feels. Doing a little often helps more than doing a lot once.</p>
        <div class="row">
          <a class="button primary big" href="#/history">See your history</a>
        </div>
      </section>
    `;
  }
}

customElements.define('rc-summary', SummaryScreen);
