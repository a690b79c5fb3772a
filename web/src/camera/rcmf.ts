// RCMF: one pose frame as the compact binary the server's motion analyser reads (docs/motion.md,
// "Binary frame"). Little-endian throughout:
//   0  'RCMF'  4  u8 version (1, or 2 with a roller sighting)  5  u8 flags (bit 1: a sighting
//   follows)  6  u8 count (33)  7  u8 0  8  i64 timestamp in microseconds (>= 0)
//   16  u16 aspect x 1000 (0 = unknown)  18  u16 0
//   20 count x 8 bytes: i16 x, i16 y, i16 z (value x 8192), u8 visibility x 255, u8 present (0/1)
//   version 2 with flag bit 1 only, 8 more bytes: i16 x, i16 y (x 8192), u16 radius x 65535,
//   u8 confidence x 255, u8 0
// A MediaPipe frame is 284 bytes, 292 with a sighting. A frame without a sighting is written as
// version 1, so a server that reads only version 1 still takes it. Pure; tested in test/rcmf.test.ts.

export const RCMF_VERSION = 1;
export const RCMF_VERSION_WITH_ROLLER = 2;
export const FLAG_ROLLER = 0x02;
export const LANDMARK_COUNT = 33;
export const HEADER_BYTES = 20;
export const LANDMARK_BYTES = 8;
export const ROLLER_BYTES = 8;
export const FRAME_BYTES = HEADER_BYTES + LANDMARK_COUNT * LANDMARK_BYTES;
const SCALE = 8192;

/** One landmark as the pose model gives it: normalized x, y (0..1 across the image), z, visibility. */
export interface Landmark {
  x: number;
  y: number;
  z: number;
  visibility?: number;
}

/** Where the roller finder saw the roller's end disc: normalized like a landmark, r a share of the height. */
export interface RollerSighting {
  x: number;
  y: number;
  r: number;
  confidence: number; // 0..1
}

export interface PoseFrame {
  timestampUs: number; // microseconds on the page's camera clock
  aspect: number; // image width / height (0 = unknown)
  landmarks: (Landmark | null)[]; // 33 entries; null for one the model did not give
  roller?: RollerSighting | null; // only with "Find the roller in the picture" on, on the frames it looked at
}

/** Whether a sighting can be sent as the server reads it: finite, centre within +-3, radius in (0, 1], confidence 0..1. */
export function sendableSighting(r: RollerSighting | null | undefined): r is RollerSighting {
  return !!r && [r.x, r.y, r.r, r.confidence].every(Number.isFinite) && Math.abs(r.x) <= 3 && Math.abs(r.y) <= 3
    && r.r > 0 && r.r <= 1 && r.confidence >= 0 && r.confidence <= 1;
}

function quantize(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.max(-32768, Math.min(32767, Math.round(value * SCALE)));
}

/** Whether a landmark can be sent: every coordinate finite and within the format's +-4. */
function usable(l: Landmark | null | undefined): l is Landmark {
  return !!l && [l.x, l.y, l.z].every((v) => Number.isFinite(v) && Math.abs(v) < 32768 / SCALE);
}

/**
 * The frame as RCMF bytes: version 1, or version 2 with the roller sighting when the frame has
 * one the server would accept (an unusable one is left out, never sent wrong). Unusable landmarks
 * (missing, NaN, beyond +-4) are sent as absent.
 */
export function encodeRcmf(frame: PoseFrame): ArrayBuffer {
  const roller = sendableSighting(frame.roller) ? frame.roller : null;
  const buffer = new ArrayBuffer(FRAME_BYTES + (roller ? ROLLER_BYTES : 0));
  const view = new DataView(buffer);
  [0x52, 0x43, 0x4d, 0x46].forEach((byte, i) => view.setUint8(i, byte));
  view.setUint8(4, roller ? RCMF_VERSION_WITH_ROLLER : RCMF_VERSION);
  view.setUint8(5, roller ? FLAG_ROLLER : 0);
  view.setUint8(6, LANDMARK_COUNT);
  view.setUint8(7, 0);
  const micros = Number.isFinite(frame.timestampUs) ? Math.max(0, Math.round(frame.timestampUs)) : 0;
  view.setBigInt64(8, BigInt(micros), true);
  const aspect = Number.isFinite(frame.aspect) ? Math.round(frame.aspect * 1000) : 0;
  view.setUint16(16, Math.max(0, Math.min(65535, aspect)), true);
  view.setUint16(18, 0, true);
  for (let i = 0; i < LANDMARK_COUNT; i++) {
    const at = HEADER_BYTES + i * LANDMARK_BYTES;
    const l = frame.landmarks[i];
    if (!usable(l)) continue; // all zeros: present = 0
    view.setInt16(at, quantize(l.x), true);
    view.setInt16(at + 2, quantize(l.y), true);
    view.setInt16(at + 4, quantize(l.z), true);
    const v = Number.isFinite(l.visibility) ? Math.max(0, Math.min(1, l.visibility as number)) : 0;
    view.setUint8(at + 6, Math.round(v * 255));
    view.setUint8(at + 7, 1);
  }
  if (roller) {
    view.setInt16(FRAME_BYTES, quantize(roller.x), true);
    view.setInt16(FRAME_BYTES + 2, quantize(roller.y), true);
    // At least 1: a radius that rounds to 0 would be refused as "no radius".
    view.setUint16(FRAME_BYTES + 4, Math.max(1, Math.round(roller.r * 65535)), true);
    view.setUint8(FRAME_BYTES + 6, Math.round(roller.confidence * 255));
    view.setUint8(FRAME_BYTES + 7, 0);
  }
  return buffer;
}
