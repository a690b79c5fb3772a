// Runs @mediapipe/pose (lite or full, CPU inference through XNNPACK) in headless Chromium on a
// folder of rendered frames and writes rollcoach's landmark JSON Lines.
//
//   node pose_landmarks.mjs FRAMES_DIR FPS lite|full OUT.jsonl
//
// The model's files come from the npm package and are served, with the frames, from a static
// server on 127.0.0.1: nothing is fetched from a CDN. Each frame is sent with its own timestamp
// (frame index / fps), so the model's smoothing sees the clip's time, not the wall clock. The
// output is written to a temporary name and renamed at the end: never half a file.
import { readdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalPage } from './local_browser.mjs';

const [framesDir, fpsText, model, outPath] = process.argv.slice(2);
if (!framesDir || !fpsText || !['lite', 'full'].includes(model) || !outPath) {
  console.error('usage: node pose_landmarks.mjs FRAMES_DIR FPS lite|full OUT.jsonl');
  process.exit(2);
}
const fps = Number(fpsText);
const here = dirname(fileURLToPath(import.meta.url));
const poseDir = join(here, 'node_modules', '@mediapipe', 'pose');
if (!existsSync(join(poseDir, 'pose.js'))) {
  console.error(`pose_landmarks: ${poseDir} is missing; run npm ci in tools/footage`);
  process.exit(1);
}
const frames = readdirSync(framesDir).filter((f) => /^frame_\d+\.(png|jpg)$/.test(f)).sort();
if (frames.length === 0) {
  console.error(`pose_landmarks: no frame_NNNN.png in ${framesDir}`);
  process.exit(1);
}

const page = `<!doctype html><meta charset="utf-8"><script src="/pose/pose.js"></script><body></body>`;
const browser = await openLocalPage(page, { '/pose/': poseDir, '/frames/': framesDir }, 'rc-pose-');
try {
  const { tab } = browser;
  await tab.evaluate(async (complexity) => {
    const pose = new window.Pose({ locateFile: (f) => `/pose/${f}` });
    pose.setOptions({ modelComplexity: complexity, smoothLandmarks: true, enableSegmentation: false, useCpuInference: true, minDetectionConfidence: 0.5, minTrackingConfidence: 0.5 });
    window.latest = null;
    pose.onResults((r) => { window.latest = r.poseLandmarks ?? null; });
    await pose.initialize();
    window.pose = pose;
  }, model === 'lite' ? 0 : 1);
  const lines = [];
  const millis = [];
  for (let i = 0; i < frames.length; i++) {
    const t = i / fps;
    const result = await tab.evaluate(async ({ src, at }) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      window.latest = null;
      const start = performance.now();
      await window.pose.send({ image: img }, at);
      return { ms: performance.now() - start, landmarks: window.latest, aspect: img.naturalWidth / img.naturalHeight };
    }, { src: `/frames/${frames[i]}`, at: Math.round(t * 1000) });
    millis.push(result.ms);
    // Five decimals (0.01 px at 960 px) keep the committed files small.
    const round = (v) => Number(v.toFixed(5));
    const landmarks = result.landmarks ? result.landmarks.map((l) => [round(l.x), round(l.y), round(l.z), round(l.visibility ?? 0)]) : Array(33).fill(null);
    lines.push(JSON.stringify({ t: Number(t.toFixed(4)), aspect: Number(result.aspect.toFixed(4)), landmarks }));
  }
  const tmp = outPath + '.partial';
  writeFileSync(tmp, lines.join('\n') + '\n');
  renameSync(tmp, outPath);
  millis.sort((a, b) => a - b);
  const q = (p) => millis[Math.min(millis.length - 1, Math.floor(p * millis.length))].toFixed(1);
  const found = lines.filter((l) => !l.includes('"landmarks":[null')).length;
  console.log(JSON.stringify({ model, frames: frames.length, found, median_ms: Number(q(0.5)), p90_ms: Number(q(0.9)) }));
} finally {
  await browser.close();
}
