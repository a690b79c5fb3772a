// The camera's own settings, kept in this browser (localStorage, apart from the other settings):
// off by default. Pure parsing; tested in test/camera-settings.test.ts.
import type { PoseModel } from './pose-runner';

export interface CameraSettings {
  enabled: boolean; // use the camera during sessions
  model: PoseModel; // lite (faster) or full (steadier knees and elbows, slower)
  skeleton: boolean; // draw the landmarks over the picture
  saveLandmarks: boolean; // keep the session's landmarks for a download (never images)
  findRoller: boolean; // look for the roller's end in a small copy of the picture, send where it is (on by default: docs/motion.md, "The sealed held-out score")
  heightCm: number | null; // the user's height, which the analyser measures with (null: it assumes 170 cm; docs/web.md)
}

export const defaultCameraSettings: CameraSettings = { enabled: false, model: 'lite', skeleton: true, saveLandmarks: false, findRoller: true, heightCm: null };

/** A height the analyser accepts, in whole centimetres (100-250), or null. */
export function validHeight(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  const cm = Math.round(n);
  return cm >= 100 && cm <= 250 ? cm : null;
}

/** The height field of a session's start or resume message: only with the camera on and a height given. */
export function heightField(settings: CameraSettings): { body_height_cm?: number } {
  return settings.enabled && settings.heightCm !== null ? { body_height_cm: settings.heightCm } : {};
}
const key = 'rollcoach.camera';

export function parseCameraSettings(text: string | null): CameraSettings {
  const out = { ...defaultCameraSettings };
  if (!text) return out;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return out;
  }
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  if (typeof r.enabled === 'boolean') out.enabled = r.enabled;
  if (r.model === 'lite' || r.model === 'full') out.model = r.model;
  if (typeof r.skeleton === 'boolean') out.skeleton = r.skeleton;
  if (typeof r.saveLandmarks === 'boolean') out.saveLandmarks = r.saveLandmarks;
  if (typeof r.findRoller === 'boolean') out.findRoller = r.findRoller;
  if (typeof r.heightCm === 'number') out.heightCm = validHeight(r.heightCm);
  return out;
}

export function loadCameraSettings(): CameraSettings {
  try {
    return parseCameraSettings(window.localStorage.getItem(key));
  } catch {
    return { ...defaultCameraSettings };
  }
}

export function saveCameraSettings(settings: CameraSettings): void {
  try {
    window.localStorage.setItem(key, JSON.stringify(settings));
  } catch {
    // Private mode: for this visit only.
  }
  // The service worker keeps the chosen model's files, so the camera works offline (public/sw.js).
  if (settings.enabled) navigator.serviceWorker?.controller?.postMessage({ type: 'cache-pose', model: settings.model });
}
