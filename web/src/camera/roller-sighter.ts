// "Find the roller in the picture" (on by default): runs the roller finder (roller-finder.js, the
// same module the footage tool runs) on a small copy of the camera picture, guided by the pose
// model's landmarks for that picture, and says where the roller's end disc is and how sure it is.
//
// On a picture at least ROLLER_LOOK_INTERVAL_MS after the last one it looked at (on every picture
// while the analyser is learning where the roller started: its "motion" messages'
// roller_start_learning, passed to learning()) the picture is drawn into a 480-px-wide canvas BEFORE the pose model
// runs on it (capture), so the copy is the moment the landmarks describe; when the landmarks come
// back (find) the finder looks there. Both run on the main thread inside the pose runner's
// paced frame, so their time counts against the same budget (FramePacer). The copy stays in this
// object's memory and is overwritten by the next one: never stored, never sent. Only {x, y, r,
// confidence} leaves, in the RCMF version 2 frame.
import { findRoller } from './roller-finder.js';
import type { Landmark, RollerSighting } from './rcmf';

export const SIGHTER_WIDTH = 480;

/**
 * How often the page looks for the roller outside the start: at least this long after the last
 * look, so on every picture at the 5-8 pictures a second a page manages on a slow device, every
 * second one at 12.5 and every fifth at 30. A slip between two looks is read by dead reckoning,
 * which reads half of it; every third picture at 6 a second left half a second between looks.
 * motion.toml's roller_look_interval_seconds is the same number (the footage scorer and the
 * simulator use it; a test keeps the two equal).
 */
export const ROLLER_LOOK_INTERVAL_MS = 150;

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
  gapsMs: number[]; // between two looks outside learning(), the most recent 600
}

export class RollerSighter {
  private learningOn = false;
  private lastLook = -Infinity;
  private pending = false;
  private previous: RollerSighting | null = null;
  private captureMs = 0;
  stats: SighterStats = { looked: 0, seen: 0, ms: [], learningFrames: 0, gapsMs: [] };

  constructor(
    private readonly surface: PictureSurface = document.createElement('canvas'),
    readonly lookIntervalMs = ROLLER_LOOK_INTERVAL_MS,
    readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The analyser says whether it is learning where the roller started (the body lies still at
   * its start): then every picture is looked at, since the start needs several sightings that
   * agree before the first pass; otherwise one every lookIntervalMs, to save the phone's time.
   */
  learning(on: boolean): void {
    this.learningOn = on;
  }

  /** Copies the picture if it is one to look at (lookIntervalMs after the last look, or each while learning). */
  capture(image: CanvasImageSource, width: number, height: number): void {
    this.pending = false;
    const begin = this.now();
    if (this.learningOn) this.stats.learningFrames++;
    // 1 ms of slack: pictures that come exactly lookIntervalMs apart are all looked at.
    if ((!this.learningOn && begin - this.lastLook < this.lookIntervalMs - 1) || !width || !height) return;
    if (!this.learningOn && Number.isFinite(this.lastLook)) {
      this.stats.gapsMs.push(begin - this.lastLook);
      if (this.stats.gapsMs.length > 600) this.stats.gapsMs.shift();
    }
    this.lastLook = begin;
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
    this.learningOn = false;
    this.lastLook = -Infinity;
  }
}
