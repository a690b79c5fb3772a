// <rc-camera>: the live camera during a session (docs/camera.md). It runs the pose model on the
// camera (PoseRunner), hands each frame's landmarks to the session screen (`sendFrame`, which
// sends them as RCMF to the server), and shows what the server's analyser makes of them:
//   - setup, before the first set: where to put the phone, a live framing check (the picture's
//     outline green or red, advice spoken through the session's voice), then the calibration
//     moment ("roller just below your shoulder blades, hold still" -> {"type":"calibrate"});
//   - during the session: an optional skeleton over the picture, a spine bar with the estimated
//     level and zone, and the latest camera cue in large text (a safety cue is never hidden by one);
//   - an indicator while the camera is on, and a button to turn it off.
// The picture never leaves the device: nothing is stored or sent. Only with "Find the roller in
// the picture" on (the default) does the runner copy a picture every 150 ms at most (each one while the
// analyser learns where the roller started) into a small canvas in memory for the roller finder
// (RollerSighter), overwritten by the next.
// The camera stops when the element goes (the session ended), when the tab is hidden (and starts
// again when it is shown), or when the user turns it off. If it cannot run, `onOff` gets the reason.
import { LitElement, html, nothing, svg } from 'lit';
import type { Cue } from '../lib/session-view';
import type { VoicePlayer } from '../lib/voice';
import type { CameraSettings } from './camera-settings';
import {
  FramingPrompter, framingAdvice, mainProblem, nextShownCue, percentile, spinePosition, zoneBounds, zoneLabel,
  type CameraOffReason, type MotionMessage, type MotionStats, type ShownCue,
} from './motion-view';
import { CameraError, PoseRunner } from './pose-runner';
import type { PoseFrame } from './rcmf';

type Stage = 'starting' | 'setup' | 'calibrate' | 'calibrating' | 'on' | 'paused';

// MediaPipe Pose's 33 landmarks: the lines of the skeleton drawn over the picture.
const bones: [number, number][] = [
  [11, 12], [11, 13], [13, 15], [12, 14], [14, 16], [11, 23], [12, 24], [23, 24], [23, 25], [25, 27], [27, 29], [29, 31],
  [24, 26], [26, 28], [28, 30], [30, 32], [0, 7], [0, 8],
];

export const calibrateText = 'Roller just below your shoulder blades. Hold still.';
export const cameraSpeech = [calibrateText, ...Object.values(framingAdvice).map((a) => a.spoken)];

export class CameraPanel extends LitElement {
  static properties = {
    settings: { attribute: false },
    voice: { attribute: false },
    step: { type: Number },
    stage: { state: true },
    motion: { state: true },
    shown: { state: true },
    nowMs: { state: true },
  };

  declare settings: CameraSettings;
  declare voice: VoicePlayer | null;
  declare step: number;
  declare stage: Stage;
  declare motion: MotionMessage | null;
  declare shown: ShownCue | null;
  declare nowMs: number;

  sendFrame: (frame: PoseFrame) => void = () => {};
  sendCalibrate: () => boolean = () => false;
  onOff: (reason: CameraOffReason | 'user', detail: string) => void = () => {};

  private runner: PoseRunner | null = null;
  private prompter = new FramingPrompter();
  private calibratedStep = -1;
  private lastLandmarks: PoseFrame['landmarks'] = [];
  private clock = 0;
  private findingAt = new Map<string, number>(); // finding code -> capture time (ms) of the frame that raised it
  /** For the benchmark and tests: capture -> motion message, and capture -> cue on screen, in ms. */
  latency = { motionMs: [] as number[], paintMs: [] as number[], cueMs: [] as number[] };
  serverStats: MotionStats | null = null;
  /** For tests: the capture time (ms) of the first frame the server placed in each zone. */
  zoneSeenAt: Record<string, number> = {};
  private onVisibility = () => this.visibilityChanged();

  constructor() {
    super();
    this.voice = null;
    this.step = -1;
    this.stage = 'starting';
    this.motion = null;
    this.shown = null;
    this.nowMs = 0;
  }

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.onVisibility);
    this.clock = window.setInterval(() => (this.nowMs = performance.now()), 500);
    this.voice?.prefetch(cameraSpeech);
    void this.updateComplete.then(() => this.start());
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.clearInterval(this.clock);
    this.runner?.close();
    this.runner = null;
  }

  /** The runner, for the benchmark (per-frame timings). */
  get poseRunner(): PoseRunner | null {
    return this.runner;
  }

  private async start() {
    const video = this.querySelector('video');
    if (!video || !this.isConnected) return;
    this.runner ??= new PoseRunner(video, this.settings.model, this.settings.findRoller);
    const runner = this.runner;
    runner.onFrame = (frame, found) => this.frame(frame, found);
    runner.onStopped = (error) => {
      if (error) this.off(error.reason, error.detail);
    };
    try {
      await runner.start();
      if (!this.isConnected) runner.close();
      else this.stage = this.calibratedStep >= 0 ? 'on' : 'setup';
    } catch (error) {
      const e = error instanceof CameraError ? error : new CameraError('model_failed');
      this.off(e.reason, e.detail);
    }
  }

  private off(reason: CameraOffReason | 'user', detail = '') {
    this.runner?.close();
    this.runner = null;
    this.onOff(reason, detail);
  }

  private visibilityChanged() {
    if (document.visibilityState === 'hidden') {
      this.runner?.stop();
      if (this.runner) this.stage = 'paused';
    } else if (this.stage === 'paused') {
      this.stage = 'starting';
      void this.start();
    }
  }

  private frame(frame: PoseFrame, found: boolean) {
    this.lastLandmarks = found ? frame.landmarks : [];
    this.sendFrame(frame);
    if (this.settings.skeleton || this.stage !== 'on') this.drawSkeleton();
  }

  /** A "motion" message from the server, about one of the frames sent. */
  motionMessage(m: MotionMessage) {
    const now = performance.now();
    this.latency.motionMs.push(now - m.t_us / 1000);
    if (this.latency.motionMs.length > 2000) this.latency.motionMs.shift();
    for (const f of m.findings) this.findingAt.set(f.code, m.t_us / 1000);
    if (m.contact_known && m.zone && !(m.zone in this.zoneSeenAt)) this.zoneSeenAt[m.zone] = m.t_us / 1000;
    this.motion = m;
    // While the analyser learns where the roller started, the finder looks at every picture.
    this.runner?.sighter?.learning(m.roller_start_learning);
    // capture -> landmarks -> server -> this analysis painted (the spine bar).
    void this.updateComplete.then(() => requestAnimationFrame(() => {
      this.latency.paintMs.push(performance.now() - m.t_us / 1000);
      if (this.latency.paintMs.length > 2000) this.latency.paintMs.shift();
    }));
    if (this.stage === 'setup' || this.stage === 'calibrate') {
      const advice = this.prompter.update(m.framing.problems, now);
      if (advice) void this.voice?.say(advice);
    }
    if (this.stage === 'calibrating' && m.calibrated) {
      this.calibratedStep = this.step;
      this.stage = 'on';
    }
  }

  calibrating() {
    if (this.stage === 'calibrate' || this.stage === 'setup') this.stage = 'calibrating';
  }

  /** The session's new cues: a camera or safety cue goes up in large text. */
  sessionCues(cues: Cue[]) {
    const before = this.shown;
    this.shown = nextShownCue(this.shown, cues, performance.now());
    const cue = this.shown?.cue;
    if (cue && this.shown !== before && cue.kind === 'form') {
      const captured = this.findingAt.get(cue.code);
      // Measured once the cue is painted: capture -> landmarks -> server -> cue on screen.
      if (captured !== undefined)
        void this.updateComplete.then(() => requestAnimationFrame(() => this.latency.cueMs.push(performance.now() - captured)));
    }
  }

  motionStats(stats: MotionStats) {
    this.serverStats = stats;
  }

  updated(changed: Map<string, unknown>) {
    // A new set after the first calibration: ask for the start position again.
    if (changed.has('step') && this.calibratedStep >= 0 && this.step !== this.calibratedStep && this.stage === 'on') this.stage = 'calibrate';
  }

  private calibrate() {
    if (!this.sendCalibrate()) return;
    void this.voice?.say(calibrateText);
    this.stage = 'calibrating';
  }

  private drawSkeleton() {
    const canvas = this.querySelector<HTMLCanvasElement>('canvas.skeleton');
    const video = this.querySelector('video');
    if (!canvas || !video) return;
    const w = (canvas.width = canvas.clientWidth || 160);
    const h = (canvas.height = canvas.clientHeight || 90);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, w, h);
    const l = this.lastLandmarks;
    if (!l.length) return;
    const ok = this.motion?.framing.ok ?? true;
    ctx.strokeStyle = ok ? '#3fb950' : '#f85149';
    ctx.lineWidth = 2;
    for (const [a, b] of bones) {
      const p = l[a];
      const q = l[b];
      if (!p || !q) continue;
      ctx.beginPath();
      ctx.moveTo(p.x * w, p.y * h);
      ctx.lineTo(q.x * w, q.y * h);
      ctx.stroke();
    }
  }

  render() {
    const m = this.motion;
    const framingOk = m ? m.framing.ok : null;
    const problem = m ? mainProblem(m.framing.problems) : null;
    const setup = this.stage === 'setup' || this.stage === 'calibrate' || this.stage === 'calibrating' || this.stage === 'starting';
    const cue = this.shown && this.nowMs - this.shown.atMs < 8000 ? this.shown.cue : null;
    return html`<section class="camera-panel ${setup ? 'setup' : 'live'}" aria-label="Camera">
      <div class="camera-head">
        <p class="camera-indicator" role="status"><span class="rec-dot" aria-hidden="true"></span>
          ${this.stage === 'starting' ? 'Starting the camera…' : this.stage === 'paused' ? 'Camera paused (page hidden)' : `Camera on · ${this.settings.model}`}</p>
        <button type="button" class="camera-off" @click=${() => this.off('user')}>Turn camera off</button>
      </div>
      <div class="camera-body">
        <div class="camera-view ${framingOk === null ? '' : framingOk ? 'framing-ok' : 'framing-bad'}">
          <video muted playsinline aria-label="Your camera's picture: it stays on this device"></video>
          <canvas class="skeleton ${this.settings.skeleton || setup ? '' : 'hidden'}" aria-hidden="true"></canvas>
        </div>
        ${this.renderSpineBar()}
      </div>
      ${cue ? html`<p class="camera-cue ${cue.kind === 'form' ? 'form' : 'safety'}" role="alert" data-code=${cue.code}>${cue.text}</p>` : nothing}
      ${setup ? this.renderSetup(problem) : nothing}
    </section>`;
  }

  private renderSetup(problem: ReturnType<typeof mainProblem>) {
    const m = this.motion;
    const framing = !m ? 'Waiting for the first picture…'
      : problem ? framingAdvice[problem].shown : 'Framing is good: all of you is in the picture, side-on.';
    if (this.stage === 'setup' || this.stage === 'starting')
      return html`<div class="camera-setup">
        <h2>Place the phone</h2>
        <ol class="camera-guide">
          <li>On the floor, standing on its side, 2 to 3 metres away.</li>
          <li>At your side, level with your waist: it must see you side-on.</li>
          <li>All of you in the picture, head to feet.</li>
          <li>Face the phone for a moment at the start: the model finds a body by its face.</li>
        </ol>
        <p class="framing-line ${problem ? 'bad' : m ? 'good' : ''}" aria-live="polite">${framing}</p>
        <p class="hint">Need more time? Press Pause: the session waits.</p>
        <button type="button" class="primary" ?disabled=${this.stage === 'starting'} @click=${() => (this.stage = 'calibrate')}>The phone is in place</button>
      </div>`;
    return html`<div class="camera-setup">
      <h2>${this.calibratedStep >= 0 ? 'New set: back to the start' : 'Calibrate'}</h2>
      <p>Lie on the roller with it <strong>just below your shoulder blades</strong>, and hold still for two seconds.</p>
      <p class="framing-line ${problem ? 'bad' : m ? 'good' : ''}" aria-live="polite">${framing}</p>
      ${this.stage === 'calibrating'
        ? html`<p role="status" class="calibrating">Hold still…</p>`
        : html`<button type="button" class="primary" @click=${this.calibrate}>I am in place: calibrate</button>`}
    </div>`;
  }

  private renderSpineBar() {
    const m = this.motion;
    const known = !!m && m.contact_known && m.fraction !== null;
    const y = (f: number) => 4 + spinePosition(f) * 112;
    const label = known ? `Roller at about ${m!.level}: ${zoneLabel(m!.zone).toLowerCase()} (estimate)` : 'Roller position not known yet';
    return html`<figure class="spine-bar">
      <svg viewBox="0 0 40 120" role="img" aria-label=${label}>
        ${zoneBounds.map((z) => svg`<rect class="seg seg-${z.zone} ${known && m!.zone === z.zone ? 'now' : ''}"
          x="14" y=${y(z.from)} width="12" height=${y(z.to) - y(z.from)} rx="2"></rect>`)}
        ${known ? svg`<circle class="marker" cx="20" cy=${y(m!.fraction!)} r="7"></circle>` : nothing}
      </svg>
      <figcaption><strong class="spine-level">${known ? m!.level : '–'}</strong>
        <span class="spine-zone seg-text-${known ? m!.zone : 'none'}">${known ? zoneLabel(m!.zone) : 'not known yet'}</span></figcaption>
    </figure>`;
  }
}

customElements.define('rc-camera', CameraPanel);

/** Latency summary for the benchmark (ms). */
export function latencySummary(values: number[]) {
  return { n: values.length, p50: percentile(values, 0.5), p95: percentile(values, 0.95) };
}
