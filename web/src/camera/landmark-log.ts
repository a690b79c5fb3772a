// "Save my landmarks for my therapist": the session's landmarks (never images) as JSON Lines in
// the format `rollcoach analyze` reads (docs/motion.md, "JSON Lines"): one object a line,
//   {"t": 12.033, "aspect": 1.7778, "landmarks": [[x, y, z, visibility] | null, ... 33]}
// plus "roller": [x, y, r, confidence] on a frame the roller finder looked at and saw it.
// with t in seconds from the first frame kept. Kept in memory only while the user chose it, and
// capped (about 30 minutes at 15 frames/s), so a forgotten tab cannot fill the phone's memory.
import { sendableSighting, type PoseFrame } from './rcmf';

export const MAX_LOGGED_FRAMES = 27_000;

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

export class LandmarkLog {
  private lines: string[] = [];
  private firstUs: number | null = null;
  private lastUs = -1;
  dropped = 0;

  get size(): number {
    return this.lines.length;
  }

  /** Adds a frame; one whose time does not move forward, or past the cap, is not kept. */
  add(frame: PoseFrame): void {
    if (frame.timestampUs <= this.lastUs || this.lines.length >= MAX_LOGGED_FRAMES) {
      this.dropped++;
      return;
    }
    this.lastUs = frame.timestampUs;
    if (this.firstUs === null) this.firstUs = frame.timestampUs;
    this.lines.push(frameLine(frame, this.firstUs));
  }

  text(): string {
    return this.lines.length ? this.lines.join('\n') + '\n' : '';
  }

  clear(): void {
    this.lines = [];
    this.firstUs = null;
    this.lastUs = -1;
    this.dropped = 0;
  }
}

/** One JSON line; `originUs` is the time that becomes t = 0. */
export function frameLine(frame: PoseFrame, originUs: number): string {
  const t = Math.round((frame.timestampUs - originUs) / 1000) / 1000;
  const landmarks = [];
  for (let i = 0; i < 33; i++) {
    const l = frame.landmarks[i];
    landmarks.push(l && [l.x, l.y, l.z].every(Number.isFinite)
      ? [round5(l.x), round5(l.y), round5(l.z), round5(Math.max(0, Math.min(1, l.visibility ?? 0)))]
      : null);
  }
  const line: Record<string, unknown> = { t, aspect: Math.round(frame.aspect * 10000) / 10000, landmarks };
  if (sendableSighting(frame.roller))
    line.roller = [round5(frame.roller.x), round5(frame.roller.y), round5(frame.roller.r), Math.round(frame.roller.confidence * 1000) / 1000];
  return JSON.stringify(line);
}
