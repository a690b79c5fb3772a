// Runs the pose model (@mediapipe/pose, served by rollcoach from dist/pose/, never a CDN) on the
// camera, on the page's main thread with measured frame pacing: the package cannot run in a
// worker (its initialize() makes a canvas with `document` and it writes to `window`), so each
// frame waits until the model has used at most 70 % of the main thread (FramePacer), and never
// runs faster than 15 frames/s. CPU inference (XNNPACK, `useCpuInference`): without it the model
// runs on software WebGL, 10 to 30 times slower.
//
// Only landmarks come out (`onFrame`); the pictures stay in the <video> element and are never
// stored or sent. With "Find the roller in the picture" on (the default), a RollerSighter
// copies a picture every 150 ms at most (each one while the analyser learns where the roller started) into
// a small canvas in memory to look for the roller there (the copy is overwritten by the next
// one), and the frame carries where it saw it. `stop()` stops every camera track.
import type { Options, Pose, Results } from '@mediapipe/pose';
import { FramePacer, percentile, reasonForMediaError, type CameraOffReason } from './motion-view';
import type { PoseFrame, RollerSighting } from './rcmf';
import { RollerSighter } from './roller-sighter';

export type PoseModel = 'lite' | 'full';

export class CameraError extends Error {
  constructor(readonly reason: CameraOffReason, readonly detail = '') {
    super(reason);
  }
}

interface PoseGlobal {
  Pose: new (config: { locateFile: (file: string) => string }) => Pose;
}

let scriptLoad: Promise<void> | null = null;

/** Loads /pose/pose.js once (a same-origin <script>: the strict CSP allows it). */
function loadPoseScript(): Promise<void> {
  if ((window as unknown as Partial<PoseGlobal>).Pose) return Promise.resolve();
  scriptLoad ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/pose/pose.js';
    script.async = true;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => {
      scriptLoad = null;
      script.remove();
      reject(new CameraError('model_failed', 'its files did not load'));
    });
    document.head.append(script);
  });
  return scriptLoad;
}

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { captureTime?: number; mediaTime?: number }) => void) => number;
};

export interface RunnerStats {
  frames: number; // frames the model ran on
  found: number; // frames with a body
  inferenceMs: number[]; // per frame, the most recent 600
  startedAt: number; // performance.now() when the camera started playing
  streamOrigin: number; // performance.now() of the stream's media time 0, from the first frame's metadata (0: unknown)
  modelLoadMs: number;
}

export class PoseRunner {
  private pose: Pose | null = null;
  private stream: MediaStream | null = null;
  private running = false;
  private pacer = new FramePacer(15, 0.7);
  private captureMs = 0;
  private generation = 0; // each start gets a new loop; an older loop still waiting for a frame then ends
  stats: RunnerStats = { frames: 0, found: 0, inferenceMs: [], startedAt: 0, streamOrigin: 0, modelLoadMs: 0 };
  onFrame: (frame: PoseFrame, landmarksFound: boolean) => void = () => {};
  onStopped: (error: CameraError | null) => void = () => {};
  /** The roller finder, when the setting is on (null: no picture is ever copied). */
  readonly sighter: RollerSighter | null;

  constructor(readonly video: HTMLVideoElement, readonly model: PoseModel = 'lite', findRoller = false) {
    this.sighter = findRoller ? new RollerSighter() : null;
  }

  get active(): boolean {
    return this.running;
  }

  /** Asks for the camera, loads the model and starts the loop. Throws CameraError with the reason. */
  async start(): Promise<void> {
    if (this.running) return;
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia)
      throw new CameraError(window.isSecureContext ? 'no_camera' : 'insecure');
    // The camera first: a refusal or a missing camera is known at once, before 10 MB of model load.
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: 'user', width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 15, max: 30 } },
      });
    } catch (error) {
      throw new CameraError(reasonForMediaError(error instanceof DOMException ? error.name : ''));
    }
    const loadStart = performance.now();
    try {
      await loadPoseScript();
      if (!this.pose) {
        const Ctor = (window as unknown as PoseGlobal).Pose;
        const pose = new Ctor({ locateFile: (file) => `/pose/${file}` });
        pose.setOptions({
          modelComplexity: this.model === 'full' ? 1 : 0, smoothLandmarks: true, enableSegmentation: false, selfieMode: false,
          minDetectionConfidence: 0.5, minTrackingConfidence: 0.5, useCpuInference: true,
        } as Options & { useCpuInference: boolean });
        await pose.initialize();
        this.pose = pose;
      }
    } catch (error) {
      for (const track of this.stream.getTracks()) track.stop();
      this.stream = null;
      if (error instanceof CameraError) throw error;
      const text = error instanceof Error ? error.message : String(error);
      throw new CameraError('model_failed', /CompileError|WebAssembly/.test(text) ? 'the browser refused its WebAssembly' : '');
    }
    this.stats.modelLoadMs = performance.now() - loadStart;
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.srcObject = this.stream;
    await this.video.play().catch(() => {});
    this.stats.startedAt = performance.now();
    this.running = true;
    this.sighter?.reset();
    this.stream.getVideoTracks()[0]?.addEventListener('ended', () => this.stop(new CameraError('in_use')));
    this.pose!.onResults((results) => this.results(results));
    void this.loop(++this.generation);
  }

  /** Stops the loop and every camera track; the model stays loaded for a restart. */
  stop(error: CameraError | null = null): void {
    const was = this.running;
    this.running = false;
    this.generation++;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
    this.video.srcObject = null;
    if (was) this.onStopped(error);
  }

  /** Frees the model too (the session ended). */
  close(): void {
    this.stop();
    void this.pose?.close();
    this.pose = null;
  }

  private nextFrame(): Promise<number> {
    const video = this.video as FrameCallbackVideo;
    if (video.requestVideoFrameCallback)
      return new Promise((resolve) => video.requestVideoFrameCallback!((_now, meta) => {
        // The camera's capture time when the browser gives one on this clock; otherwise now.
        const capture = meta.captureTime;
        const at = capture && capture <= performance.now() && capture > performance.now() - 1000 ? capture : performance.now();
        if (!this.stats.streamOrigin && typeof meta.mediaTime === 'number') this.stats.streamOrigin = at - meta.mediaTime * 1000;
        resolve(at);
      }));
    return new Promise((resolve) => window.setTimeout(() => resolve(performance.now()), 1000 / 15));
  }

  private async loop(generation: number): Promise<void> {
    let lastUs = 0;
    while (this.running && generation === this.generation) {
      const captured = await this.nextFrame();
      // A loop left waiting by a stop (hidden tab) must not run beside the new one: the model takes one frame at a time.
      if (!this.running || !this.pose || generation !== this.generation) break;
      if (this.video.readyState < 2 || !this.video.videoWidth) continue;
      this.captureMs = captured;
      const us = Math.max(Math.round(captured * 1000), lastUs + 1);
      lastUs = us;
      const begin = performance.now();
      try {
        // The copy for the roller finder is taken before the model runs: the same picture.
        this.sighter?.capture(this.video, this.video.videoWidth, this.video.videoHeight);
        await this.pose.send({ image: this.video }, us / 1000);
      } catch (error) {
        this.stop(new CameraError('model_failed', error instanceof Error ? error.message.slice(0, 80) : ''));
        break;
      }
      const spent = performance.now() - begin;
      this.pacer.record(spent);
      this.stats.inferenceMs.push(spent);
      if (this.stats.inferenceMs.length > 600) this.stats.inferenceMs.shift();
      if (this.pacer.tooSlow) {
        this.stop(new CameraError('too_slow', `${Math.round(this.pacer.typicalMs)} ms a frame`));
        break;
      }
      const gap = this.pacer.gapMs();
      if (gap > 0) await new Promise((resolve) => window.setTimeout(resolve, gap));
    }
  }

  private results(results: Results): void {
    if (!this.running) return;
    this.stats.frames++;
    const found = !!results.poseLandmarks?.length;
    if (found) this.stats.found++;
    const w = this.video.videoWidth;
    const h = this.video.videoHeight;
    const landmarks = found ? results.poseLandmarks.map((l) => ({ x: l.x, y: l.y, z: l.z, visibility: l.visibility })) : Array(33).fill(null);
    // Runs inside the model's send(), so its time is counted in the frame's pacing.
    const roller: RollerSighting | null = this.sighter ? this.sighter.find(found ? landmarks : null) : null;
    this.onFrame({ timestampUs: Math.round(this.captureMs * 1000), aspect: w && h ? w / h : 0, landmarks, roller }, found);
  }

  /** Per-frame inference p50 and p95 so far, in ms. */
  summary(): { p50: number; p95: number; frames: number; fps: number } {
    const seconds = (performance.now() - this.stats.startedAt) / 1000;
    return {
      p50: percentile(this.stats.inferenceMs, 0.5), p95: percentile(this.stats.inferenceMs, 0.95), frames: this.stats.frames,
      fps: seconds > 0 ? this.stats.frames / seconds : 0,
    };
  }
}
