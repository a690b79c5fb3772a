// "Find the roller in the picture" (on by default): runs the roller finder (roller-finder.js, the
// same module the footage tool runs) on a small copy of the camera picture, guided by the pose
// model's landmarks for that picture, and says where the roller's end disc is and how sure it is.
//
// Every `every`-th frame (every frame while the analyser is learning where the roller started:
// its "motion" messages' roller_start_learning, passed to learning()) the picture is drawn into a 480-px-wide canvas BEFORE the pose model
// runs on it (capture), so the copy is the moment the landmarks describe; when the landmarks come
// back (find) the finder looks there. Both run on the main thread inside the pose runner's
// paced frame, so their time counts against the same budget (FramePacer). The copy stays in this
// object's memory and is overwritten by the next one: never stored, never sent. Only {x, y, r,
// confidence} leaves, in the RCMF version 2 frame.
import { findRoller } from './roller-finder.js';
import type { Landmark, RollerSighting } from './rcmf';

export const SIGHTER_WIDTH = 480;

/** The part of a canvas the sighter uses: a real canvas or an OffscreenCanvas, or a test's stand-in. */
export interface PictureSurface {
  width: number;
  height: number;
  getContext(kind: '2d', options?: { willReadFrequently?: boolean }): {
    drawImage(image: CanvasImageSource, dx: number, dy: number, dw: number, dh: number): void;
    getImageData(sx: number, sy: number, sw: number, sh: number): { data: Uint8ClampedArray };
  } | null;
}

export interface SighterStats {
  looked: number; // frames the finder ran on
  seen: number; // of which it found a disc
  ms: number[]; // per look: copy + finder, the most recent 600
  learningFrames: number; // frames that came while looking on every frame (learning())
}

export class RollerSighter {
  private count = 0;
  private pending = false;
  private previous: RollerSighting | null = null;
  private captureMs = 0;
  private lookEvery: number;
  stats: SighterStats = { looked: 0, seen: 0, ms: [], learningFrames: 0 };

  constructor(
    private readonly surface: PictureSurface = document.createElement('canvas'),
    readonly every = 3,
    readonly now: () => number = () => performance.now(),
  ) {
    this.lookEvery = every;
  }

  /**
   * The analyser says whether it is learning where the roller started (the body lies still at
   * its start): then every picture is looked at, since the start needs several sightings that
   * agree before the first pass; otherwise every `every`-th, to save the phone's time.
   */
  learning(on: boolean): void {
    this.lookEvery = on ? 1 : this.every;
  }

  /** Copies the picture if this frame is one to look at (every `every`-th, or each while learning). */
  capture(image: CanvasImageSource, width: number, height: number): void {
    this.pending = false;
    if (this.lookEvery === 1) this.stats.learningFrames++;
    if (this.count++ % this.lookEvery !== 0 || !width || !height) return;
    const begin = this.now();
    const w = Math.min(SIGHTER_WIDTH, width);
    const h = Math.max(1, Math.round((w * height) / width));
    if (this.surface.width !== w) this.surface.width = w;
    if (this.surface.height !== h) this.surface.height = h;
    const ctx = this.surface.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    ctx.drawImage(image, 0, 0, w, h);
    this.pending = true;
    this.captureMs = this.now() - begin;
  }

  /** Looks for the roller in the copy just captured, with that picture's landmarks; null if none. */
  find(landmarks: (Landmark | null)[] | null): RollerSighting | null {
    if (!this.pending) return null;
    this.pending = false;
    const begin = this.now();
    const ctx = this.surface.getContext('2d', { willReadFrequently: true });
    let found = null;
    if (ctx && landmarks) {
      const { data } = ctx.getImageData(0, 0, this.surface.width, this.surface.height);
      found = findRoller(data, this.surface.width, this.surface.height, landmarks, { previous: this.previous });
    }
    this.stats.looked++;
    this.stats.ms.push(this.captureMs + this.now() - begin);
    if (this.stats.ms.length > 600) this.stats.ms.shift();
    this.previous = found ? { x: found.x, y: found.y, r: found.r, confidence: found.confidence } : null;
    if (found) this.stats.seen++;
    return this.previous;
  }

  /** A new start (the camera started again): the last sighting no longer says where the roller is. */
  reset(): void {
    this.pending = false;
    this.previous = null;
    this.lookEvery = this.every;
  }
}
