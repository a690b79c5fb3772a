import { describe, expect, it } from 'vitest';
import motionToml from '../../data/knowledge/motion.toml?raw';
import { findRoller } from '../src/camera/roller-finder.js';
import { ROLLER_LOOK_INTERVAL_MS, RollerSighter, type PictureSurface } from '../src/camera/roller-sighter';

// A drawn picture, not a render: a wall, a floor, a body lying from the shoulders to the hips and
// the roller's end disc under the back. The finder knows none of it but the landmarks.
const W = 480, H = 270;
type RGB = [number, number, number];

function picture(discs: { x: number; y: number; r: number; colour: RGB }[], floor: RGB = [70, 60, 80]) {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const c: RGB = y < 150 ? [120, 130, 120] : floor;
      data.set([...c, 255], 4 * (y * W + x));
    }
  const fill = (inside: (x: number, y: number) => boolean, c: RGB) => {
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (inside(x, y)) data.set([...c, 255], 4 * (y * W + x));
  };
  // The trunk: a thick band from the hips (300, 160) to the shoulders (180, 150).
  fill((x, y) => x >= 170 && x <= 310 && y >= 128 && y <= 162, [60, 120, 70]);
  // Discs with a soft rim two pixels wide, as a camera's optics and scaling leave it.
  for (const d of discs)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const a = Math.max(0, Math.min(1, (d.r + 1 - Math.hypot(x - d.x, y - d.y)) / 2));
        const o = 4 * (y * W + x);
        if (a > 0) for (let c = 0; c < 3; c++) data[o + c] = Math.round(a * d.colour[c] + (1 - a) * data[o + c]);
      }
  return data;
}

// Shoulders (180, 150) and hips (300, 160): L = 120.4 px, so the expected disc radius is about 18 px.
const landmarks = Array.from({ length: 33 }, () => null as [number, number] | null);
landmarks[11] = landmarks[12] = [180 / W, 150 / H];
landmarks[23] = landmarks[24] = [300 / W, 160 / H];
const disc = { x: 240, y: 180, r: 18, colour: [200, 40, 40] as RGB };

describe('the roller finder (one implementation for the page and the footage tool)', () => {
  it('finds a disc under the back to within two pixels, and is sure of it', () => {
    const found = findRoller(picture([disc]), W, H, landmarks);
    expect(found).not.toBeNull();
    expect(Math.abs(found!.x * W - disc.x)).toBeLessThanOrEqual(2);
    expect(Math.abs(found!.y * H - disc.y)).toBeLessThanOrEqual(2);
    expect(Math.abs(found!.r * H - disc.r)).toBeLessThanOrEqual(2);
    expect(found!.confidence).toBeGreaterThan(0.7);
  });

  it('takes the landmarks as the pose model gives them ({x, y}) too', () => {
    const objects = landmarks.map((l) => (l ? { x: l[0], y: l[1], z: 0, visibility: 1 } : null));
    const a = findRoller(picture([disc]), W, H, landmarks);
    const b = findRoller(picture([disc]), W, H, objects);
    expect(b).toEqual(a);
  });

  it('is less sure when two discs look alike (which is the near end?)', () => {
    const one = findRoller(picture([disc]), W, H, landmarks)!;
    const two = findRoller(picture([disc, { ...disc, x: 285 }]), W, H, landmarks)!;
    expect(two.cues.rival).toBeGreaterThan(0.9);
    // Two alike discs are a coin toss: about half as sure as of one, never more than 60 %.
    expect(two.confidence).toBeLessThan(0.6 * one.confidence);
  });

  it('is less sure of a disc the colour of the floor', () => {
    const floor: RGB = [70, 60, 80];
    const plain = findRoller(picture([{ ...disc, colour: [74, 64, 84] }], floor), W, H, landmarks);
    expect(plain === null || plain.confidence < 0.3).toBe(true);
  });

  it('is less sure when the disc jumped from where it was last seen', () => {
    const pixels = picture([disc]);
    const stayed = findRoller(pixels, W, H, landmarks, { previous: { x: 241 / W, y: 180 / H, r: 18 / H } })!;
    const jumped = findRoller(pixels, W, H, landmarks, { previous: { x: 300 / W, y: 185 / H, r: 18 / H } })!;
    expect(stayed.cues.moved).toBeLessThan(0.2);
    expect(jumped.cues.moved).toBeGreaterThan(3);
    expect(jumped.confidence).toBeLessThan(stayed.confidence);
  });

  it('says nothing without shoulders and hips, or with a body too small to search', () => {
    expect(findRoller(picture([disc]), W, H, null)).toBeNull();
    expect(findRoller(picture([disc]), W, H, Array(33).fill(null))).toBeNull();
    const tiny = [...landmarks];
    tiny[23] = tiny[24] = [185 / W, 151 / H];
    expect(findRoller(picture([disc]), W, H, tiny)).toBeNull();
  });
});

// A canvas stand-in: records the draws and hands back the drawn picture.
function fakeSurface(pixels: Uint8ClampedArray): PictureSurface & { draws: number } {
  const surface = {
    width: 0, height: 0, draws: 0,
    getContext: () => ({
      drawImage: () => { surface.draws++; },
      getImageData: () => ({ data: pixels }),
    }),
  };
  return surface;
}

describe('the roller sighter (the page side: a small copy of a picture every 150 ms at most)', () => {
  const lm = landmarks.map((l) => (l ? { x: l[0], y: l[1], z: 0 } : null));
  // Pictures `stepMs` apart on an injected clock; which of them the sighter looked at.
  const clocked = (interval = ROLLER_LOOK_INTERVAL_MS) => {
    const surface = fakeSurface(picture([disc]));
    let now = 0;
    const sighter = new RollerSighter(surface, interval, () => now);
    const looks = (frames: number, stepMs: number) => {
      const seen = [];
      for (let i = 0; i < frames; i++) {
        sighter.capture({} as CanvasImageSource, 640, 360);
        seen.push(sighter.find(lm));
        now += stepMs;
      }
      return seen;
    };
    return { surface, sighter, looks };
  };

  it('copies a picture at 480 px wide and finds the roller in it with that picture\'s landmarks', () => {
    const { surface, sighter, looks } = clocked();
    const seen = looks(6, 80);
    expect(surface.draws).toBe(3);
    expect([surface.width, surface.height]).toEqual([480, 270]);
    expect(seen.map((s) => s !== null)).toEqual([true, false, true, false, true, false]);
    expect(Math.abs(seen[0]!.x * W - disc.x)).toBeLessThanOrEqual(2);
    expect(sighter.stats).toMatchObject({ looked: 3, seen: 3 });
    expect(sighter.stats.ms).toHaveLength(3);
  });

  it('looks by the clock, not by the picture count: every picture at 6 a second, every second at 12.5, every fifth at 30', () => {
    expect(clocked().looks(12, 1000 / 6).every((s) => s !== null)).toBe(true);
    expect(clocked().looks(12, 80).filter((s) => s !== null)).toHaveLength(6);
    expect(clocked().looks(30, 1000 / 30).filter((s) => s !== null)).toHaveLength(6);
  });

  it('looks at every picture while the analyser learns where the roller started, then by the clock again', () => {
    const { sighter, looks } = clocked();
    const seen = (frames: number, stepMs: number) => looks(frames, stepMs).map((s) => s !== null);
    expect(seen(4, 40)).toEqual([true, false, false, false]);
    sighter.learning(true);
    expect(seen(4, 40)).toEqual([true, true, true, true]);
    sighter.learning(false);
    expect(seen(8, 40).filter(Boolean)).toHaveLength(2);
    expect(sighter.stats).toMatchObject({ looked: 7, seen: 7, learningFrames: 4 });
    // A new start (the camera restarted): it looks at once, then by the clock until the analyser asks again.
    sighter.learning(true);
    sighter.reset();
    expect(seen(3, 40)).toEqual([true, false, false]);
  });

  it('keeps the look interval that motion.toml gives the footage scorer and the simulator', () => {
    const seconds = Number(/^roller_look_interval_seconds\s*=\s*([0-9.]+)/m.exec(motionToml)?.[1]);
    expect(seconds * 1000).toBeCloseTo(ROLLER_LOOK_INTERVAL_MS, 6);
  });

  it('does not look without landmarks, and never looks at a picture it did not copy', () => {
    const sighter = new RollerSighter(fakeSurface(picture([disc])));
    sighter.capture({} as CanvasImageSource, 640, 360);
    expect(sighter.find(null)).toBeNull();
    expect(sighter.find(landmarks.map((l) => (l ? { x: l[0], y: l[1], z: 0 } : null)))).toBeNull();
    expect(sighter.stats.seen).toBe(0);
  });
});
