// Runs the roller finder in headless Chromium, on a canvas, over a folder of rendered frames,
// guided by that clip's committed landmarks, and writes one JSON line per frame found in the
// folder: {"t": seconds, "roller": [x, y, r, confidence] | null, "score": s}. The finder is the
// camera page's own module (web/src/camera/roller-finder.js), served from there: one
// implementation for the page and this tool. Each frame is given the previous frame's sighting,
// as the page gives it the last one it found.
//
//   node roller_sightings.mjs FRAMES_DIR LANDMARKS.jsonl FPS OUT.jsonl
//
// The frames may be every Nth one (make_footage.py --frames-only --stride N); each is matched to
// the landmark line of the same time. Output goes to a temporary name first: never half a file.
import { readFileSync, readdirSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalPage } from './local_browser.mjs';

const [framesDir, landmarksPath, fpsText, outPath] = process.argv.slice(2);
if (!framesDir || !landmarksPath || !fpsText || !outPath) {
  console.error('usage: node roller_sightings.mjs FRAMES_DIR LANDMARKS.jsonl FPS OUT.jsonl');
  process.exit(2);
}
const fps = Number(fpsText);
const here = dirname(fileURLToPath(import.meta.url));
if (existsSync(join(framesDir, 'MISMATCH'))) {
  console.error(`roller_sightings: ${framesDir} shows other motion than the committed clip (see its MISMATCH file); its frames do not match these landmarks`);
  process.exit(1);
}
const frames = readdirSync(framesDir).filter((f) => /^frame_\d+\.(png|jpg)$/.test(f)).sort();
if (frames.length === 0) {
  console.error(`roller_sightings: no frame_NNNN.png in ${framesDir}`);
  process.exit(1);
}
const byTime = new Map();
for (const line of readFileSync(landmarksPath, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const f = JSON.parse(line);
  byTime.set(Math.round(f.t * fps), f.landmarks);
}

const finderPath = join(here, '..', '..', 'web', 'src', 'camera', 'roller-finder.js');
const page = `<!doctype html><meta charset="utf-8"><script type="module">import { findRoller } from '/roller-finder.js'; window.findRoller = findRoller;</script><body></body>`;
const browser = await openLocalPage(page, { '/roller-finder.js': finderPath, '/frames/': framesDir }, 'rc-roller-');
try {
  const { tab } = browser;
  await tab.waitForFunction(() => typeof window.findRoller === 'function');
  const lines = [];
  let previous = null;
  const millis = [];
  let found = 0;
  for (const name of frames) {
    const index = Number(name.match(/\d+/)[0]);
    const landmarks = byTime.get(index) ?? null;
    const result = await tab.evaluate(async ({ src, landmarks, previous }) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(img, 0, 0);
      const start = performance.now();
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const found = window.findRoller(data, canvas.width, canvas.height, landmarks, { previous });
      return { found, ms: performance.now() - start };
    }, { src: `/frames/${name}`, landmarks, previous });
    millis.push(result.ms);
    const r = result.found;
    previous = r ? { x: r.x, y: r.y, r: r.r } : null;
    if (r) found++;
    const round = (v) => Number(v.toFixed(5));
    lines.push(JSON.stringify({ t: Number((index / fps).toFixed(4)), roller: r ? [round(r.x), round(r.y), round(r.r), Number(r.confidence.toFixed(3))] : null, score: r ? Number(r.score.toFixed(2)) : 0 }));
  }
  writeFileSync(outPath + '.partial', lines.join('\n') + '\n');
  renameSync(outPath + '.partial', outPath);
  millis.sort((a, b) => a - b);
  console.log(JSON.stringify({ frames: frames.length, found, median_ms: Number(millis[Math.floor(millis.length / 2)].toFixed(1)) }));
} finally {
  await browser.close();
}
