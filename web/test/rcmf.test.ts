import { describe, expect, it } from 'vitest';
import { encodeRcmf, FRAME_BYTES, type Landmark, type PoseFrame, type RollerSighting } from '../src/camera/rcmf';

// An independent reader written from the table in docs/motion.md ("Binary frame, version 1"),
// not from the encoder: byte offsets, little-endian, scale 8192, visibility x 255, present 0/1.
function readDocumented(buffer: ArrayBuffer) {
  const v = new DataView(buffer);
  const magic = String.fromCharCode(v.getUint8(0), v.getUint8(1), v.getUint8(2), v.getUint8(3));
  const count = v.getUint8(6);
  const landmarks = [];
  for (let i = 0; i < count; i++) {
    const at = 20 + 8 * i;
    landmarks.push(v.getUint8(at + 7) === 1
      ? { x: v.getInt16(at, true) / 8192, y: v.getInt16(at + 2, true) / 8192, z: v.getInt16(at + 4, true) / 8192, visibility: v.getUint8(at + 6) / 255 }
      : null);
  }
  return {
    magic, version: v.getUint8(4), flags: v.getUint8(5), count, reserved7: v.getUint8(7),
    micros: Number(v.getBigInt64(8, true)), aspect: v.getUint16(16, true) / 1000, reserved18: v.getUint16(18, true), landmarks,
    // Version 2, flag bit 1 (docs/motion.md, "Binary frame"): 8 bytes after the landmarks.
    roller: v.getUint8(4) === 2 && (v.getUint8(5) & 2) !== 0
      ? (() => {
        const at = 20 + 8 * count;
        return { x: v.getInt16(at, true) / 8192, y: v.getInt16(at + 2, true) / 8192, r: v.getUint16(at + 4, true) / 65535,
          confidence: v.getUint8(at + 6) / 255, reserved: v.getUint8(at + 7) };
      })()
      : null,
  };
}

function frame(landmarks: (Landmark | null)[], timestampUs = 12_033_000, aspect = 16 / 9): PoseFrame {
  return { timestampUs, aspect, landmarks };
}

const body = Array.from({ length: 33 }, (_, i) => ({ x: 0.1 + i * 0.02, y: 0.9 - i * 0.015, z: -0.3 + i * 0.01, visibility: i / 32 }));

describe('RCMF v1 encoder', () => {
  it('writes a 284-byte MediaPipe frame with the documented header', () => {
    const bytes = encodeRcmf(frame(body));
    expect(bytes.byteLength).toBe(284);
    expect(FRAME_BYTES).toBe(284);
    const r = readDocumented(bytes);
    expect(r).toMatchObject({ magic: 'RCMF', version: 1, flags: 0, count: 33, reserved7: 0, micros: 12_033_000, reserved18: 0 });
    expect(r.aspect).toBeCloseTo(1.778, 3);
  });

  it('round-trips every landmark within the format resolution', () => {
    const r = readDocumented(encodeRcmf(frame(body)));
    r.landmarks.forEach((l, i) => {
      expect(l).not.toBeNull();
      expect(Math.abs(l!.x - body[i].x)).toBeLessThanOrEqual(0.5 / 8192);
      expect(Math.abs(l!.y - body[i].y)).toBeLessThanOrEqual(0.5 / 8192);
      expect(Math.abs(l!.z - body[i].z)).toBeLessThanOrEqual(0.5 / 8192);
      expect(Math.abs(l!.visibility - body[i].visibility)).toBeLessThanOrEqual(0.5 / 255);
    });
  });

  it('puts known values at the documented byte offsets', () => {
    const one = [{ x: 0.5, y: -0.25, z: 1, visibility: 1 }, ...Array(32).fill(null)];
    const bytes = new Uint8Array(encodeRcmf(frame(one, 0x0102030405, 2)));
    expect([...bytes.slice(0, 8)]).toEqual([0x52, 0x43, 0x4d, 0x46, 1, 0, 33, 0]);
    expect([...bytes.slice(8, 16)]).toEqual([0x05, 0x04, 0x03, 0x02, 0x01, 0, 0, 0]);
    expect([...bytes.slice(16, 20)]).toEqual([0xd0, 0x07, 0, 0]); // 2000 little-endian
    // 0.5 * 8192 = 4096 = 0x1000; -0.25 * 8192 = -2048 = 0xf800; 1 * 8192 = 0x2000
    expect([...bytes.slice(20, 28)]).toEqual([0x00, 0x10, 0x00, 0xf8, 0x00, 0x20, 255, 1]);
    expect([...bytes.slice(28, 36)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('sends missing, NaN and out-of-range landmarks as absent, never as a wrong position', () => {
    const bad: (Landmark | null)[] = [...body];
    bad[3] = null;
    bad[4] = { x: NaN, y: 0.5, z: 0 };
    bad[5] = { x: 5, y: 0.5, z: 0, visibility: 1 };
    bad[6] = { x: 0.4, y: 0.5, z: Infinity };
    const r = readDocumented(encodeRcmf(frame(bad)));
    expect(r.landmarks.slice(3, 7)).toEqual([null, null, null, null]);
    expect(r.landmarks[7]).not.toBeNull();
  });

  it('clamps the visibility to 0..1, the timestamp to >= 0 and an unknown aspect to 0', () => {
    const odd = [{ x: 0.1, y: 0.2, z: 0, visibility: 1.7 }, { x: 0.1, y: 0.2, z: 0, visibility: -1 }, { x: 0.1, y: 0.2, z: 0 }, ...Array(30).fill(null)];
    const r = readDocumented(encodeRcmf(frame(odd, -5, NaN)));
    expect(r.landmarks[0]!.visibility).toBe(1);
    expect(r.landmarks[1]!.visibility).toBe(0);
    expect(r.landmarks[2]!.visibility).toBe(0);
    expect(r.micros).toBe(0);
    expect(r.aspect).toBe(0);
  });

  it('keeps microseconds exact past 2^32 (an hour-long camera clock)', () => {
    const r = readDocumented(encodeRcmf(frame(body, 5_000_000_123)));
    expect(r.micros).toBe(5_000_000_123);
  });
});

describe('RCMF v2: a roller sighting', () => {
  const seen: RollerSighting = { x: 0.4123, y: 0.6234, r: 0.0551, confidence: 0.73 };

  it('is sent as version 2 with flag bit 1 and 8 bytes after the landmarks', () => {
    const bytes = encodeRcmf({ ...frame(body), roller: seen });
    expect(bytes.byteLength).toBe(292);
    const r = readDocumented(bytes);
    expect(r).toMatchObject({ magic: 'RCMF', version: 2, flags: 2, count: 33 });
    expect(Math.abs(r.roller!.x - seen.x)).toBeLessThanOrEqual(0.5 / 8192);
    expect(Math.abs(r.roller!.y - seen.y)).toBeLessThanOrEqual(0.5 / 8192);
    expect(Math.abs(r.roller!.r - seen.r)).toBeLessThanOrEqual(0.5 / 65535);
    expect(Math.abs(r.roller!.confidence - seen.confidence)).toBeLessThanOrEqual(0.5 / 255);
    expect(r.roller!.reserved).toBe(0);
    // The landmarks are where version 1 has them.
    expect(r.landmarks[11]!.x).toBeCloseTo(body[11].x, 3);
  });

  it('puts the sighting at the documented byte offsets', () => {
    const bytes = new Uint8Array(encodeRcmf({ ...frame(body), roller: { x: 0.5, y: -0.25, r: 0.5, confidence: 1 } }));
    // 0.5 * 8192 = 0x1000; -0.25 * 8192 = 0xf800; round(0.5 * 65535) = 32768 = 0x8000
    expect([...bytes.slice(284, 292)]).toEqual([0x00, 0x10, 0x00, 0xf8, 0x00, 0x80, 255, 0]);
  });

  it('without a sighting, or with one the server would refuse, stays a 284-byte version 1 frame', () => {
    for (const roller of [undefined, null, { ...seen, r: 0 }, { ...seen, x: NaN }, { ...seen, y: 3.5 }, { ...seen, r: 1.2 },
      { ...seen, confidence: -0.1 }, { ...seen, confidence: 2 }]) {
      const bytes = encodeRcmf({ ...frame(body), roller });
      expect(bytes.byteLength).toBe(284);
      expect(readDocumented(bytes)).toMatchObject({ version: 1, flags: 0, roller: null });
    }
  });

  it('never sends a tiny radius as 0 (the server reads 0 as no radius)', () => {
    const r = readDocumented(encodeRcmf({ ...frame(body), roller: { ...seen, r: 1e-6 } }));
    expect(r.roller!.r).toBeGreaterThan(0);
  });
});
