// <rc-session>: the hands-free session. The session runs in the C++ engine on the server; this
// screen sends what the user taps over /ws/session and shows and speaks the cues it gets back:
// a big countdown in two rings (step and session), the instruction in one line, the body map
// with the current target, and big buttons. Fires `rc-finished` with the saved summary.
import { LitElement, html, nothing } from 'lit';
import { websocketUrl, type Zone } from '../lib/api';
import { formatClock, words } from '../lib/format';
import { applyMessage, currentTargets, initialView, progressAt, type ServerMessage, type SessionView } from '../lib/session-view';
import type { VoicePlayer } from '../lib/voice';

const phaseLabels: Record<string, string> = {
  ready: 'Getting ready',
  setup: 'Set up',
  rolling: 'Roll slowly',
  hold: 'Hold the spot',
  side_switch: 'Switch sides',
  transition: 'Rest',
  finisher: 'Finisher',
  done: 'Done',
  stopped: 'Stopped',
};

export class SessionScreen extends LitElement {
  static properties = {
    zones: { attribute: false },
    painBefore: { attribute: false },
    voice: { attribute: false },
    view: { state: true },
    now: { state: true },
    connection: { state: true },
    error: { state: true },
    askingPain: { state: true },
    painAfter: { state: true },
    saving: { state: true },
  };

  declare zones: Zone[];
  declare painBefore: number | null;
  declare voice: VoicePlayer | null;
  declare view: SessionView;
  declare now: number;
  declare connection: 'connecting' | 'open' | 'closed';
  declare error: string;
  declare askingPain: boolean;
  declare painAfter: number | null;
  declare saving: boolean;

  private socket: WebSocket | null = null;
  private ticker = 0;

  constructor() {
    super();
    this.zones = [];
    this.painBefore = null;
    this.voice = null;
    this.view = initialView();
    this.now = 0;
    this.connection = 'connecting';
    this.error = '';
    this.askingPain = false;
    this.painAfter = null;
    this.saving = false;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    this.connect();
    this.ticker = window.setInterval(() => (this.now = performance.now()), 200);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    window.clearInterval(this.ticker);
    this.socket?.close();
    this.voice?.silence();
  }

  private connect() {
    const socket = new WebSocket(websocketUrl('session'));
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.connection = 'open';
      socket.send(JSON.stringify({ type: 'start', pain_before: this.painBefore }));
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', () => {
      this.connection = 'closed';
    });
    socket.addEventListener('error', () => {
      this.error = 'Lost the connection to the rollcoach server.';
    });
  }

  private receive(text: string) {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    const now = performance.now();
    if (message.type === 'error') {
      this.error = message.message;
      return;
    }
    if (message.type === 'saved') {
      this.saving = false;
      this.dispatchEvent(new CustomEvent('rc-finished', { detail: { ...message, painBefore: this.painBefore, painAfter: this.painAfter }, bubbles: true }));
      return;
    }
    if (message.type === 'started') this.voice?.prefetch(message.speech ?? []);
    this.view = applyMessage(this.view, message, now);
    this.now = now;
    if ('cues' in message) {
      for (const cue of message.cues) {
        if (cue.speak) void this.voice?.say(cue.text, cue.priority === 'urgent');
      }
    }
    if (this.view.ended) this.askingPain = true;
  }

  /** Sends a session event (session event JSON: {"type": "pause"}, {"type": "pain", "rating": 7} ...). */
  private send(event: Record<string, unknown>) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'event', event }));
  }

  private finish() {
    if (this.painAfter === null || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.saving = true;
    this.socket.send(JSON.stringify({ type: 'finish', pain_after: this.painAfter }));
  }

  render() {
    const v = this.view;
    const s = v.snapshot;
    if (this.error && !s) return html`<section class="card"><h1>Cannot start the session</h1><p class="error" role="alert">${this.error}</p></section>`;
    if (!s) return html`<section class="card"><p>Starting the session…</p></section>`;
    if (v.ended) return this.renderEnd();
    const p = progressAt(v, this.now);
    const step = s.step >= 0 ? `Step ${s.step + 1} of ${s.step_count}` : '';
    // The one-line instruction: the last cue that says what to do (tempo and countdown cues
    // are spoken, and shown under it).
    const instruction = v.lastInstruction?.text ?? s.instructions[0] ?? '';
    const beat = v.lastCue && v.lastCue !== v.lastInstruction ? v.lastCue.text : '';
    const currentZones = currentTargets(v);
    return html`
      <section class="session" aria-labelledby="session-title">
        <header class="session-head">
          <p class="eyebrow">${step}${s.side !== 'none' && s.side ? ` · ${words(s.side)} side` : ''}</p>
          <h1 id="session-title">${s.exercise_name || phaseLabels[s.phase] || s.phase}</h1>
          <rc-why for=${s.exercise_id}></rc-why>
        </header>
        <div class="session-main">
          <rc-ring .step=${p.step} .session=${p.session} .label=${formatClock(p.countdownMs)}
            .sublabel=${s.paused ? 'Paused' : phaseLabels[s.phase] ?? s.phase}></rc-ring>
          <rc-body-map compact .zones=${this.zones} .current=${currentZones}></rc-body-map>
        </div>
        <p class="instruction" aria-live="polite">${instruction}</p>
        <p class="beat">${beat}</p>
        ${s.next ? html`<p class="next">Next: ${s.next}</p>` : nothing}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="controls">
          <button type="button" class="control danger stop-button" @click=${() => this.send({ type: 'safety', event: 'numbness_one_leg' })}>
            Numbness or tingling: stop
          </button>
          <button type="button" class="control tender" @click=${() => this.send({ type: 'tender_spot' })}>Tender spot</button>
          <button type="button" class="control pain" @click=${() => (this.askingPain = !this.askingPain)}>Pain</button>
          <button type="button" class="control" @click=${() => this.send({ type: s.paused ? 'resume' : 'pause' })}>${s.paused ? 'Resume' : 'Pause'}</button>
          <button type="button" class="control" @click=${() => this.send({ type: 'skip' })}>Skip</button>
        </div>
        ${this.askingPain
          ? html`<div class="card inline-pain"><h2>How much does it hurt now?</h2>
              <rc-pain-scale @rc-pain=${(e: CustomEvent<number>) => {
                this.send({ type: 'pain', rating: e.detail });
                this.askingPain = false;
              }}></rc-pain-scale></div>`
          : nothing}
        <details class="more-signs">
          <summary>Other warning signs</summary>
          <div class="controls small">
            <button type="button" class="control danger" @click=${() => this.send({ type: 'safety', event: 'numbness_saddle' })}>Numb between the legs</button>
            <button type="button" class="control danger" @click=${() => this.send({ type: 'safety', event: 'sharp_pain' })}>Sharp pain</button>
            <button type="button" class="control danger" @click=${() => this.send({ type: 'safety', event: 'dizziness' })}>Dizzy</button>
            <button type="button" class="control danger" @click=${() => this.send({ type: 'safety', event: 'feels_wrong' })}>Something feels wrong</button>
            <button type="button" class="control" @click=${() => this.send({ type: 'quit' })}>End the session</button>
          </div>
        </details>
        ${this.connection === 'closed' ? html`<p class="error" role="alert">The connection to the server closed.</p>` : nothing}
      </section>
    `;
  }

  private renderEnd() {
    const v = this.view;
    return html`
      <section class="card ${v.stopped ? 'stopped' : 'done'}" aria-labelledby="end-title">
        <h1 id="end-title">${v.stopped ? 'Session stopped' : 'Well done: session complete'}</h1>
        ${v.stopped
          ? html`<div class="stop-box" role="alert"><p><strong>${v.stopMessage}</strong></p>${v.stopWhatToDo ? html`<p>${v.stopWhatToDo}</p>` : nothing}</div>`
          : nothing}
        <h2>How much does your back hurt now?</h2>
        <rc-pain-scale .value=${this.painAfter} @rc-pain=${(e: CustomEvent<number>) => (this.painAfter = e.detail)}></rc-pain-scale>
        <div class="row">
          <button type="button" class="primary big" ?disabled=${this.painAfter === null || this.saving} @click=${this.finish}>Save and see the summary</button>
        </div>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      </section>
    `;
  }
}

customElements.define('rc-session', SessionScreen);
