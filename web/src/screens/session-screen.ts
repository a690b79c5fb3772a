// <rc-session>: the hands-free session. The session runs in the C++ engine on the server; this
// screen sends what the user taps over /ws/session and shows and speaks the cues it gets back.
// It fits a phone without scrolling (390x844 and 360x640): the step and exercise, a countdown in
// two rings beside a drawing of the position, a short instruction (the rest behind "More"), and
// every safety control within one tap. It keeps the screen awake while the session runs, shows
// when the voice is speaking, and if the server goes away it pauses, says so out loud and in a
// banner, and reconnects with backoff. Back in touch, it takes the session over where the server
// paused it (the session key from "started"); if the server no longer has it (restarted, or the
// connection was down past the grace period) it offers to continue from the step it was on.
// Fires `rc-finished` with the saved summary.
import { LitElement, html, nothing } from 'lit';
import { websocketUrl, type Zone } from '../lib/api';
import { backoffDelayMs } from '../lib/backoff';
import { formatClock, words } from '../lib/format';
import { applyMessage, currentTargets, endHeadline, initialView, progressAt, type Cue, type ServerMessage, type SessionView } from '../lib/session-view';
import { continueMessage, resumeMessage, shortInstruction } from '../lib/session-controls';
import { loadSettings, saveSettings, type Settings } from '../lib/settings';
import type { VoicePlayer } from '../lib/voice';
import { WakeLockKeeper, type WakeState } from '../lib/wake-lock';
import '../camera/camera-panel';
import type { CameraPanel } from '../camera/camera-panel';
import { heightField, loadCameraSettings, type CameraSettings } from '../camera/camera-settings';
import { LandmarkLog, frameLine } from '../camera/landmark-log';
import { cameraOffText, parseMotion, type CameraOffReason, type MotionStats } from '../camera/motion-view';
import { encodeRcmf, type PoseFrame } from '../camera/rcmf';

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

export const connectionLostText = 'The connection to rollcoach was lost. The session is paused.';
export const resumedText = 'Connected again. The session is paused where you were: press Resume when you are ready.';

// lost: paused, probing the server; resuming: asking it for the session; resumed: taken over,
// paused until the user carries on; expired: the server no longer has the session.
type Connection = 'connecting' | 'open' | 'lost' | 'resuming' | 'resumed' | 'expired' | 'failed' | 'closed';

export class SessionScreen extends LitElement {
  static properties = {
    zones: { attribute: false },
    painBefore: { attribute: false },
    voice: { attribute: false },
    view: { state: true },
    now: { state: true },
    connection: { state: true },
    error: { state: true },
    notice: { state: true },
    askingPain: { state: true },
    painAfter: { state: true },
    saving: { state: true },
    pending: { state: true },
    speaking: { state: true },
    wake: { state: true },
    settings: { state: true },
    retryInS: { state: true },
    spoken: { state: true },
    cameraOn: { state: true },
    cameraOffLine: { state: true },
  };

  declare zones: Zone[];
  declare painBefore: number | null;
  declare voice: VoicePlayer | null;
  declare view: SessionView;
  declare now: number;
  declare connection: Connection;
  declare error: string;
  declare notice: string;
  declare askingPain: boolean;
  declare painAfter: number | null;
  declare saving: boolean;
  /** The server's words while it keeps a finished session the journal has not taken yet. */
  declare pending: string;
  declare speaking: boolean;
  declare wake: WakeState;
  declare settings: Settings;
  declare retryInS: number;
  declare spoken: string; // how the connection loss was said: clip, synthesis, muted or none
  declare cameraOn: boolean; // the camera panel runs (the setting is on and nothing stopped it)
  declare cameraOffLine: string; // why the camera is off, said once

  private camera: CameraSettings = loadCameraSettings();
  /** The session's landmarks, kept only when the user chose "Save my landmarks for my therapist". */
  readonly landmarkLog = new LandmarkLog();
  /** Every text handed to the voice during this session (tests read it). */
  readonly saidTexts: string[] = [];
  private framesSent = 0;
  private textFrames = false; // the server refused binary frames (one older than the live camera): send JSON frames

  private socket: WebSocket | null = null;
  private ticker = 0;
  private frozenAt: number | null = null; // performance.now() when the connection was lost
  private attempt = 0;
  private retryTimer = 0;
  private noticeTimer = 0;
  private leaving = false;
  private wakeLock = new WakeLockKeeper((state) => (this.wake = state));
  private sessionKey = ''; // from "started": resumes the session after a dropped connection
  private lastSeq = 0; // the number of the last message received
  /**
   * A safety stop pressed while the server was out of reach: the page stopped at once on its own,
   * and this is sent as soon as the session is resumed, so the server records the stop (not a
   * quit at the drop) and a resumed session never takes the stop back.
   */
  private pendingSafety: string | null = null;

  constructor() {
    super();
    this.zones = [];
    this.painBefore = null;
    this.voice = null;
    this.view = initialView();
    this.now = 0;
    this.connection = 'connecting';
    this.error = '';
    this.notice = '';
    this.askingPain = false;
    this.painAfter = null;
    this.saving = false;
    this.pending = '';
    this.speaking = false;
    this.wake = 'off';
    this.settings = loadSettings();
    this.retryInS = 0;
    this.spoken = '';
    this.cameraOn = this.camera.enabled;
    this.cameraOffLine = '';
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    this.leaving = false;
    if (this.voice) {
      this.voice.setVolume(this.settings.volume, this.settings.muted);
      this.voice.onSpeaking = (speaking) => (this.speaking = speaking);
    }
    this.connect();
    this.ticker = window.setInterval(() => (this.now = performance.now()), 200);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.leaving = true;
    window.clearInterval(this.ticker);
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.noticeTimer);
    this.socket?.close();
    this.voice?.silence();
    if (this.voice) this.voice.onSpeaking = () => {};
    void this.wakeLock.release();
  }

  /** Opens the session socket and sends `first` (a start by default, or a resume) once it is open. */
  private connect(message: Record<string, unknown> = { type: 'start', pain_before: this.painBefore }) {
    // The camera's analyser measures with the user's height when the settings have it.
    const first = message.type === 'start' || message.type === 'resume' ? { ...message, ...heightField(this.camera) } : message;
    const resuming = first.type === 'resume';
    this.connection = resuming ? 'resuming' : 'connecting';
    this.error = '';
    let socket: WebSocket;
    try {
      socket = new WebSocket(websocketUrl('session'));
    } catch {
      this.connection = resuming ? 'lost' : 'failed';
      if (resuming) this.scheduleProbe();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (!resuming) this.connection = 'open';
      socket.send(JSON.stringify(first));
    });
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', () => this.onClose(socket));
  }

  private onClose(socket: WebSocket) {
    if (socket !== this.socket || this.leaving || this.connection === 'expired') return;
    this.socket = null;
    if (this.connection === 'resuming') {
      // The server answered /api/health but not the session socket: keep trying.
      this.connection = 'lost';
      this.scheduleProbe();
      return;
    }
    if (!this.view.snapshot) {
      // It never started: an offline start. Say why and offer a retry.
      this.connection = 'failed';
      return;
    }
    if (this.view.ended && this.saving === false && this.connection === 'closed') return;
    if (this.view.ended) {
      this.connection = 'closed';
      if (this.saving) {
        this.saving = false;
        this.error = this.pending
          ? 'The connection closed while the journal was not answering. The server keeps your session, with your rating, and saves it as soon as the journal answers.'
          : 'The connection closed before the summary was saved. The session itself was recorded; its pain rating after may be missing.';
      }
      return;
    }
    this.loseConnection();
  }

  /** Mid-session loss: freeze the countdown, pause, say so, and start reconnecting. */
  private loseConnection() {
    this.frozenAt = performance.now();
    this.connection = 'lost';
    this.attempt = 0;
    this.voice?.silence();
    this.spoken = '';
    void this.voice?.warn(connectionLostText).then((how) => (this.spoken = how));
    void this.wakeLock.release();
    this.scheduleProbe();
  }

  private scheduleProbe() {
    window.clearTimeout(this.retryTimer);
    const delay = backoffDelayMs(this.attempt);
    this.retryInS = Math.ceil(delay / 1000);
    this.retryTimer = window.setTimeout(() => void this.probe(), delay);
  }

  /** Is the server back? /api/health is never answered from the offline cache (public/sw.js). */
  private async probe() {
    window.clearTimeout(this.retryTimer);
    this.attempt += 1;
    try {
      const response = await fetch('/api/health', { cache: 'no-store', credentials: 'same-origin' });
      if (response.ok && this.connection === 'lost') {
        if (this.sessionKey) this.connect(resumeMessage(this.sessionKey, this.lastSeq));
        else this.connection = 'expired';
        return;
      }
    } catch {
      // still unreachable
    }
    if (this.connection === 'lost') this.scheduleProbe();
  }

  /** Starts the session again from its first step (an offline start, or after a failed start). */
  private restart() {
    this.view = initialView();
    this.frozenAt = null;
    this.askingPain = false;
    this.sessionKey = '';
    this.lastSeq = 0;
    this.connect();
  }

  /**
   * The server no longer has the session: a new one from the step the page was on. The rating
   * before is not sent again (the part before the loss may already be recorded with it).
   */
  private continueFromStep() {
    const first = continueMessage(this.view.snapshot);
    this.view = initialView();
    this.frozenAt = null;
    this.askingPain = false;
    this.sessionKey = '';
    this.lastSeq = 0;
    this.connect(first);
  }

  private receive(text: string) {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    const now = performance.now();
    if (this.cameraMessage(message)) return;
    if (message.type === 'error') {
      if (this.connection === 'resuming') {
        // not_found: restarted, or down past the grace period. Offer to continue from the step.
        this.connection = 'expired';
        const socket = this.socket;
        this.socket = null; // its close is not another loss
        socket?.close();
        return;
      }
      if (this.framesSent > 0 && !this.textFrames && /binary/.test(message.message ?? '')) {
        // A server older than binary RCMF frames: today's JSON "frame" messages carry the same landmarks.
        this.textFrames = true;
        return;
      }
      if (this.textFrames && /binary|frame|landmark/i.test(message.message ?? '')) return; // about a camera frame, not the user
      this.error = message.message;
      return;
    }
    if ('seq' in message && typeof message.seq === 'number') this.lastSeq = message.seq;
    if ('session_key' in message && message.session_key) this.sessionKey = message.session_key;
    if (message.type === 'pending') {
      // Still saving: the server retries on its own and sends "saved" when the journal takes it.
      this.pending = message.message;
      return;
    }
    if (message.type === 'saved') {
      this.saving = false;
      this.pending = '';
      this.connection = 'closed';
      this.dispatchEvent(new CustomEvent('rc-finished', { detail: { ...message, painBefore: this.painBefore, painAfter: this.painAfter }, bubbles: true }));
      return;
    }
    if (message.type === 'started') {
      this.voice?.prefetch([...(message.speech ?? []), connectionLostText, resumedText]);
      void this.wakeLock.acquire();
    }
    if (message.type === 'resumed' && this.pendingSafety !== null && this.socket?.readyState === WebSocket.OPEN) {
      // Stopped while the server was out of reach: the stop goes first, and the server's answer
      // (its stop cue, "ended") replaces the page's own advice; the session never comes back.
      this.socket.send(JSON.stringify({ type: 'event', event: { type: 'safety', event: this.pendingSafety } }));
      this.pendingSafety = null;
      this.connection = 'open';
      this.frozenAt = null;
      return;
    }
    if (message.type === 'resumed') {
      this.connection = 'resumed';
      this.frozenAt = null;
      void this.voice?.warn(resumedText);
      void this.wakeLock.acquire();
    }
    const wasEnded = this.view.ended;
    this.view = applyMessage(this.view, message, now);
    this.now = now;
    // The cues a resume brings are those missed while the connection was down: shown, not said.
    if ('cues' in message && message.type !== 'resumed') {
      for (const cue of message.cues) {
        if (cue.speak) {
          this.saidTexts.push(cue.text);
          void this.voice?.say(cue.text, cue.priority === 'urgent');
        }
        if (cue.kind === 'notice') this.say(cue.text);
      }
      this.querySelector<CameraPanel>('rc-camera')?.sessionCues(message.cues);
    }
    if (this.connection === 'resumed' && message.type === 'update' && !message.snapshot.paused) this.connection = 'open';
    if (wasEnded && !this.view.ended) void this.wakeLock.acquire(); // an undone stop
    if (this.view.ended && !wasEnded) {
      this.askingPain = true;
      void this.wakeLock.release();
      window.scrollTo(0, 0);
    }
  }

  /** The live camera's messages (docs/web.md, "Live camera"); true when `message` was one. */
  private cameraMessage(message: unknown): boolean {
    const type = (message as { type?: string }).type;
    if (type !== 'motion' && type !== 'motion_stats' && type !== 'calibrating') return false;
    const panel = this.querySelector<CameraPanel>('rc-camera');
    if (type === 'motion') {
      const m = parseMotion(message);
      if (m) panel?.motionMessage(m);
    } else if (type === 'motion_stats') panel?.motionStats(message as MotionStats);
    else panel?.calibrating();
    return true;
  }

  /** Whether landmark frames may go to the server now: after "started" or "resumed", before "ended". */
  private streaming(): boolean {
    return !!this.view.snapshot && !this.view.ended && (this.connection === 'open' || this.connection === 'resumed')
      && this.socket?.readyState === WebSocket.OPEN;
  }

  /** One frame's landmarks (never the picture): to the server as RCMF, and to the therapist log if chosen. */
  private sendFrame(frame: PoseFrame) {
    if (!this.streaming()) return;
    this.socket!.send(this.textFrames ? JSON.stringify({ type: 'frame', frame: JSON.parse(frameLine(frame, 0)) }) : encodeRcmf(frame));
    this.framesSent++;
    if (this.camera.saveLandmarks) this.landmarkLog.add(frame);
  }

  private sendCalibrate(): boolean {
    if (!this.streaming()) return false;
    this.socket!.send(JSON.stringify({ type: 'calibrate' }));
    return true;
  }

  private cameraOff(reason: CameraOffReason | 'user', detail: string) {
    this.cameraOn = false;
    if (!this.cameraOffLine)
      this.cameraOffLine = reason === 'user' ? 'Camera off: you turned it off. The session goes on without it.' : cameraOffText(reason, detail);
  }

  private downloadLandmarks() {
    const url = URL.createObjectURL(new Blob([this.landmarkLog.text()], { type: 'application/x-ndjson' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `rollcoach-landmarks-${new Date().toISOString().slice(0, 10)}.jsonl`;
    document.body.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Sends a session event (session event JSON: {"type": "pause"}, {"type": "pain", "rating": 7} ...). */
  private send(event: Record<string, unknown>): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      this.say('Not connected to the server: nothing was sent. Wait for the connection to come back.');
      return false;
    }
    this.socket.send(JSON.stringify({ type: 'event', event }));
    return true;
  }

  /** A short notice on the screen (for a press that did not do what the user may expect). */
  private say(text: string) {
    this.notice = text;
    window.clearTimeout(this.noticeTimer);
    this.noticeTimer = window.setTimeout(() => (this.notice = ''), 6000);
  }

  /** The engine starts the hold now, keeps it for when rolling begins, or says why not (a notice cue). */
  private tenderSpot() {
    if (this.view.snapshot) this.send({ type: 'tender_spot' });
  }

  private setSound(volume: number, muted: boolean) {
    this.settings = { ...this.settings, volume, muted };
    saveSettings(this.settings);
    this.voice?.setVolume(volume, muted);
  }

  private openMore() {
    this.querySelector<HTMLDialogElement>('dialog.more')?.showModal();
  }

  private finish() {
    if (this.painAfter === null || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.saving = true;
    this.socket.send(JSON.stringify({ type: 'finish', pain_after: this.painAfter }));
  }

  render() {
    const v = this.view;
    const s = v.snapshot;
    if (!s && this.connection === 'failed') return this.renderOfflineStart();
    if (this.error && !s)
      return html`<section class="card"><h1>Cannot start the session</h1><p class="error" role="alert">${this.error}</p>
        <div class="row"><button type="button" class="primary big" @click=${this.restart}>Try again</button>
        <a class="button big" href="#/plan">Back to the plan</a></div></section>`;
    if (!s) return html`<section class="card"><p role="status">Starting the session…</p></section>`;
    if (v.ended) return this.renderEnd();
    const offline = this.connection === 'lost' || this.connection === 'resuming' || this.connection === 'expired';
    const p = progressAt(v, this.frozenAt ?? this.now);
    const paused = s.paused || offline;
    const step = s.step >= 0 ? `Step ${s.step + 1} of ${s.step_count}` : '';
    const instruction = v.lastInstruction?.text ?? s.instructions[0] ?? '';
    const short = shortInstruction(instruction, 64);
    // Back-off advice is shown while the session keeps it (snapshot.advice), and not again once the user dealt with it.
    const beat = v.lastCue && v.lastCue !== v.lastInstruction && v.lastCue.kind !== 'back_off' ? v.lastCue.text : '';
    const muted = this.settings.muted;
    return html`
      <section class="session ${offline ? 'offline' : ''} ${s.advice ? 'advising' : ''}" aria-labelledby="session-title">
        <header class="session-top">
          <div class="session-line">
            <p class="eyebrow">${step}${s.side !== 'none' && s.side ? ` · ${words(s.side)} side` : ''}</p>
            <span class="speaking ${this.speaking ? 'on' : ''}" aria-hidden="true">${this.speaking ? 'Speaking' : ''}</span>
            <button type="button" class="sound" aria-pressed=${muted ? 'true' : 'false'} @click=${() => this.setSound(this.settings.volume, !muted)}>Mute</button>
          </div>
          <h1 id="session-title">${s.exercise_name || phaseLabels[s.phase] || s.phase}</h1>
        </header>
        ${this.renderConnectionBanner()}
        <div class="session-main">
          <rc-ring .step=${p.step} .session=${p.session} .label=${formatClock(p.countdownMs)}
            .sublabel=${paused ? 'Paused' : phaseLabels[s.phase] ?? s.phase}></rc-ring>
          <rc-exercise-picture exercise=${s.exercise_id} size="small"></rc-exercise-picture>
        </div>
        ${s.advice
          ? this.renderAdvice(s.advice)
          : html`<div class="instruction-row">
                <p class="instruction" aria-live="polite">${short}</p>
                <button type="button" class="more-button" @click=${this.openMore}>More</button>
              </div>
              <p class="beat" aria-hidden=${beat ? 'false' : 'true'}>${this.notice || beat}</p>`}
        ${this.cameraOn
          ? html`<rc-camera .settings=${this.camera} .voice=${this.voice} .step=${s.step}
              .sendFrame=${(f: PoseFrame) => this.sendFrame(f)} .sendCalibrate=${() => this.sendCalibrate()}
              .onOff=${(reason: CameraOffReason | 'user', detail: string) => this.cameraOff(reason, detail)}></rc-camera>`
          : nothing}
        ${this.cameraOffLine ? html`<p class="camera-off-line" role="status">${this.cameraOffLine}</p>` : nothing}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="controls" role="group" aria-label="Session controls">
          <button type="button" class="control danger stop-button" @click=${() => this.safety('numbness_one_leg')}>
            Numbness or tingling: stop
          </button>
          <button type="button" class="control tender" ?disabled=${offline} @click=${this.tenderSpot}>Tender spot</button>
          <button type="button" class="control pain" ?disabled=${offline} @click=${() => (this.askingPain = true)}>Pain</button>
          <button type="button" class="control pause" ?disabled=${offline} @click=${() => this.send({ type: s.paused ? 'resume' : 'pause' })}>${s.paused ? 'Resume' : 'Pause'}</button>
        </div>
        <div class="controls signs" role="group" aria-label="Other warning signs: each stops the session">
          <button type="button" class="control danger" @click=${() => this.safety('numbness_saddle')}>Numb between the legs</button>
          <button type="button" class="control danger" @click=${() => this.safety('sharp_pain')}>Sharp pain</button>
          <button type="button" class="control danger" @click=${() => this.safety('dizziness')}>Dizzy</button>
          <button type="button" class="control danger" @click=${() => this.safety('feels_wrong')}>Feels wrong</button>
          <button type="button" class="control" ?disabled=${offline} @click=${() => this.send({ type: 'skip' })}>Skip step</button>
          <button type="button" class="control end" @click=${() => (offline ? this.leave() : this.send({ type: 'quit' }))}>End the session</button>
        </div>
        ${this.renderPainDialog()}
        ${this.renderMore(instruction, beat)}
      </section>
    `;
  }

  /**
   * Whether the stop calls for emergency help: the session's stop cue says so (its stop_kind).
   * Then the call comes first; after any other safety stop it follows the advice (which may say
   * to call if things get worse).
   */
  private emergencyStop(): boolean {
    return this.view.stopKind === 'emergency';
  }

  /** Takes back a mistaken stop or "End the session" (the engine refuses it for numbness and emergencies). */
  private undoStop() {
    this.askingPain = false;
    this.send({ type: 'undo' });
  }

  private safety(event: string) {
    if (this.send({ type: 'safety', event })) return;
    // The server is out of reach: stop here anyway, with the page's own advice, and keep trying
    // to reach it so that the stop is delivered once the session is resumed (receive()).
    if (this.pendingSafety === null || event === 'numbness_saddle') this.pendingSafety = event;
    const saddle = this.pendingSafety === 'numbness_saddle';
    this.view = {
      ...this.view,
      ended: true,
      stopped: true,
      stopKind: saddle ? 'emergency' : 'warning',
      undoUntilMs: 0,
      stopMessage: 'Stop now: get off the roller slowly.',
      stopWhatToDo: saddle
        ? 'Numbness between the legs can be a sign of an emergency: call the emergency number now.'
        : 'If it does not settle quickly, or comes back, see a clinician before rolling again.',
    };
    void this.wakeLock.release();
  }

  private leave() {
    window.location.hash = '#/history';
  }

  private renderConnectionBanner() {
    if (this.connection === 'lost' || this.connection === 'resuming')
      return html`<div class="banner offline-banner" role="alert" data-spoken=${this.spoken}>
        <p><strong>Connection lost: the session is paused.</strong>
          ${this.connection === 'resuming' ? 'Reconnecting…' : `Trying again in ${this.retryInS} s.`}</p>
        <button type="button" @click=${() => void this.probe()}>Try now</button>
      </div>`;
    if (this.connection === 'resumed')
      return html`<div class="banner reconnected-banner resumed-banner" role="status">
        <p><strong>Connected again.</strong> The session waited, paused, at step ${(this.view.snapshot?.step ?? 0) + 1}.
          Press Resume when you are ready.</p>
      </div>`;
    if (this.connection === 'expired') {
      const s = this.view.snapshot;
      const step = (s?.step ?? 0) + 1;
      return html`<div class="banner reconnected-banner" role="alert">
        <p><strong>Connected again, but the server no longer has this session</strong> (it was restarted, or the
          connection was down too long). What you did before is kept if the server could save it.</p>
        <div class="row"><button type="button" class="primary" @click=${this.continueFromStep}>Continue from step ${step}${s?.exercise_name ? `: ${s.exercise_name}` : ''}</button>
          <button type="button" @click=${this.leave}>Finish here</button></div>
      </div>`;
    }
    return nothing;
  }

  /**
   * The session's standing back-off advice, in the instruction's place (which stays behind
   * "More"): said once, shown until the user acts on it (the session drops it when the pain is
   * rated lower, on "I have eased off", or at the next exercise).
   */
  private renderAdvice(advice: Cue) {
    return html`<div class="advice" role="alert">
      <p><strong>${advice.text}</strong> ${advice.detail}</p>
      <div class="advice-actions">
        <button type="button" class="advice-done" ?disabled=${this.connection !== 'open' && this.connection !== 'resumed'}
          @click=${() => this.send({ type: 'acknowledge' })}>I have eased off</button>
        <button type="button" class="more-button" @click=${this.openMore}>More</button>
      </div>
    </div>`;
  }

  private renderPainDialog() {
    if (!this.askingPain) return nothing;
    return html`<div class="sheet" role="dialog" aria-modal="false" aria-labelledby="pain-now">
      <h2 id="pain-now">How much does it hurt now?</h2>
      <rc-pain-scale @rc-pain=${(e: CustomEvent<number>) => {
        this.send({ type: 'pain', rating: e.detail });
        this.askingPain = false;
      }}></rc-pain-scale>
      <button type="button" class="ghost" @click=${() => (this.askingPain = false)}>Cancel</button>
    </div>`;
  }

  private renderMore(instruction: string, beat: string) {
    const s = this.view.snapshot!;
    return html`<dialog class="explain more" aria-labelledby="more-title">
      <h2 id="more-title">${s.exercise_name || 'This step'}</h2>
      <p><strong>${instruction}</strong></p>
      ${beat ? html`<p>${beat}</p>` : nothing}
      ${s.instructions.length ? html`<ul>${s.instructions.map((line) => html`<li>${line}</li>`)}</ul>` : nothing}
      ${s.next ? html`<p class="next">Next: ${s.next}</p>` : nothing}
      ${s.exercise_id ? html`<rc-why for=${s.exercise_id}></rc-why>` : nothing}
      <rc-body-map compact .zones=${this.zones} .current=${currentTargets(this.view)}></rc-body-map>
      <label class="volume">Volume
        <input type="range" min="0" max="1" step="0.1" .value=${String(this.settings.volume)}
          @change=${(e: Event) => this.setSound(Number((e.target as HTMLInputElement).value), false)} />
      </label>
      <p class="hint">${this.wake === 'on' ? 'The screen stays on during the session.' : this.wake === 'unsupported'
        ? 'This browser cannot keep the screen on: set the screen timeout longer for the session.'
        : this.wake === 'refused' ? 'The browser refused to keep the screen on (battery saver?).' : ''}</p>
      <form method="dialog"><button class="primary" value="close">Close</button></form>
    </dialog>`;
  }

  private renderOfflineStart() {
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    return html`<section class="card" aria-labelledby="offline-start">
      <h1 id="offline-start">The session cannot start: the server is out of reach</h1>
      <p>The session runs on the computer where <code>rollcoach serve</code> is running, not in this browser.
        ${offline ? 'This device is offline.' : 'This device could not connect to it.'}</p>
      <p>Check that the server is still running and that this phone is on the same network, then try again.</p>
      <div class="row"><button type="button" class="primary big" @click=${this.restart}>Try again</button>
        <a class="button big" href="#/plan">Back to the plan</a></div>
    </section>`;
  }

  private renderEnd() {
    const v = this.view;
    return html`
      <section class="card ${v.stopped ? 'stopped' : 'done'}" aria-labelledby="end-title">
        <h1 id="end-title">${endHeadline(v)}</h1>
        ${v.stopped
          ? html`<div class="stop-box" role="alert">${this.emergencyStop() ? html`<rc-call></rc-call>` : nothing}
              <p><strong>${v.stopMessage}</strong></p>${v.stopWhatToDo ? html`<p>${v.stopWhatToDo}</p>` : nothing}
              ${this.emergencyStop() ? nothing : html`<rc-call></rc-call>`}</div>`
          : nothing}
        ${this.now < v.undoUntilMs && this.connection === 'open'
          ? html`<p class="row"><button type="button" class="big undo" @click=${this.undoStop}>Undo: I stopped by mistake
              (${Math.ceil((v.undoUntilMs - this.now) / 1000)} s)</button></p>`
          : nothing}
        <h2>How much does your back hurt now?</h2>
        <rc-pain-scale .value=${this.painAfter} @rc-pain=${(e: CustomEvent<number>) => (this.painAfter = e.detail)}></rc-pain-scale>
        <div class="row">
          <button type="button" class="primary big" ?disabled=${this.painAfter === null || this.saving || this.connection !== 'open'} @click=${this.finish}>Save and see the summary</button>
        </div>
        ${this.connection !== 'open' && !this.saving
          ? html`<p class="warn" role="status">The connection to the server closed: the session was recorded without the rating after.
              <a href="#/history">See your history</a></p>`
          : nothing}
        ${this.pending && this.saving ? html`<p class="warn" role="status">${this.pending}</p>` : nothing}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${this.landmarkLog.size
          ? html`<p class="row"><button type="button" class="save-landmarks" @click=${this.downloadLandmarks}>Save my landmarks for my therapist
              (${this.landmarkLog.size} frames, no pictures)</button></p>`
          : nothing}
      </section>
    `;
  }
}

customElements.define('rc-session', SessionScreen);
