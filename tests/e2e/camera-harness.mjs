// The camera tests' pieces: the committed clips (tests/e2e/camera/clips/*.webm, rendered by
// tests/e2e/camera/make_camera_clips.py) turned into y4m for Chromium's fake camera, and a
// Chromium that plays one as its camera (or has no camera, or refuses it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, repo, phone } from './harness.mjs';

export const clipsDir = join(repo, 'tests', 'e2e', 'camera', 'clips');
const y4mDir = join(tmpdir(), 'rollcoach-camera-y4m');

/** The clip as y4m (made once per machine with Debian's ffmpeg) and its truth. */
export function clip(name) {
  mkdirSync(y4mDir, { recursive: true });
  const y4m = join(y4mDir, `${name}.y4m`);
  if (!existsSync(y4m)) {
    const partial = `${y4m}.partial.y4m`;
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', join(clipsDir, `${name}.webm`), '-pix_fmt', 'yuv420p', '-r', '25/2', partial]);
    execFileSync('mv', [partial, y4m]);
  }
  const truth = JSON.parse(readFileSync(join(clipsDir, `${name}.truth.json`), 'utf8'));
  const first = (zone) => truth.frames.find((f) => f.zone === zone)?.t ?? null;
  return { y4m, truth, duration: truth.frames.length / truth.meta.fps, firstLumbar: first('lumbar') };
}

/**
 * Chromium with a camera: `camera` is a y4m file (played in a loop as the camera), 'none' (no
 * camera at all) or 'denied' (a camera whose permission is refused). `settings` go into the
 * page's camera settings before it loads.
 */
export async function launchCameraBrowser({ camera, viewport = phone, settings = { enabled: true, model: 'lite', skeleton: true, saveLandmarks: false } }) {
  const extraArgs = [];
  if (camera === 'denied') extraArgs.push('--use-fake-device-for-media-stream', '--deny-permission-prompts');
  else if (camera === 'none') extraArgs.push('--use-fake-ui-for-media-stream');
  else extraArgs.push('--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`);
  const initScripts = [[(s) => window.localStorage.setItem('rollcoach.camera', JSON.stringify(s)), settings]];
  return launchBrowser(viewport, { extraArgs, initScripts, profilePrefix: 'rollcoach-chromium-camera-' });
}

/**
 * Records in the page when a camera cue first shows (window.__cueShown[code] = performance.now()),
 * whatever the test is doing at the time.
 */
export async function watchCues(page) {
  await page.evaluate(() => {
    window.__cueShown = {};
    const seen = () => {
      for (const el of document.querySelectorAll('.camera-cue[data-code]')) {
        const code = el.getAttribute('data-code');
        if (code && !(code in window.__cueShown)) window.__cueShown[code] = performance.now();
      }
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}
