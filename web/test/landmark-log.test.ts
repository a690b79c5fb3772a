import { describe, expect, it } from 'vitest';
import { LandmarkLog, MAX_LOGGED_FRAMES, frameLine } from '../src/camera/landmark-log';
import type { PoseFrame } from '../src/camera/rcmf';

const body = Array.from({ length: 33 }, (_, i) => ({ x: 0.1 + i / 100, y: 0.5, z: -0.123456789, visibility: 0.99 }));
const at = (us: number): PoseFrame => ({ timestampUs: us, aspect: 16 / 9, landmarks: body });

describe('landmarks saved for a therapist (JSON Lines for rollcoach analyze)', () => {
  it('writes one object a line with t in seconds from the first frame, aspect and 33 landmarks', () => {
    const log = new LandmarkLog();
    log.add(at(5_000_000));
    log.add(at(5_080_000));
    const lines = log.text().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0].t).toBe(0);
    expect(lines[1].t).toBeCloseTo(0.08, 6);
    expect(lines[1].aspect).toBeCloseTo(1.7778, 4);
    expect(lines[1].landmarks).toHaveLength(33);
    expect(lines[1].landmarks[0]).toEqual([0.1, 0.5, -0.12346, 0.99]);
  });

  it('writes a missing or broken landmark as null', () => {
    const landmarks: PoseFrame['landmarks'] = [...body];
    landmarks[2] = null;
    landmarks[3] = { x: NaN, y: 0, z: 0 };
    const line = JSON.parse(frameLine({ timestampUs: 1, aspect: 1, landmarks }, 1));
    expect(line.landmarks[2]).toBeNull();
    expect(line.landmarks[3]).toBeNull();
    expect(line.landmarks[4]).not.toBeNull();
  });

  it('skips frames whose time does not move forward', () => {
    const log = new LandmarkLog();
    log.add(at(100));
    log.add(at(100));
    log.add(at(50));
    expect(log.size).toBe(1);
    expect(log.dropped).toBe(2);
  });

  it('stops keeping frames at the cap instead of filling the memory', () => {
    const log = new LandmarkLog();
    for (let i = 0; i < MAX_LOGGED_FRAMES + 10; i++) log.add(at(1000 + i * 66_000));
    expect(log.size).toBe(MAX_LOGGED_FRAMES);
    expect(log.dropped).toBe(10);
  });

  it('is empty after clear', () => {
    const log = new LandmarkLog();
    log.add(at(1));
    log.clear();
    expect(log.text()).toBe('');
  });

  it('keeps a roller sighting as [x, y, r, confidence], and leaves out one the analyser would drop', () => {
    const seen = JSON.parse(frameLine({ ...at(1), roller: { x: 0.41234567, y: 0.62, r: 0.055, confidence: 0.8765 } }, 1));
    expect(seen.roller).toEqual([0.41235, 0.62, 0.055, 0.877]);
    expect(JSON.parse(frameLine({ ...at(1), roller: null }, 1)).roller).toBeUndefined();
    expect(JSON.parse(frameLine({ ...at(1), roller: { x: 0.4, y: 0.6, r: 0, confidence: 1 } }, 1)).roller).toBeUndefined();
  });
});
