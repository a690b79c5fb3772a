// The live camera's cost in the page, measured (not a test): the real pose model (lite, then full)
// runs in headless Chromium on the fake camera playing tests/e2e/camera/clips/camera_lumbar, inside
// a real session against `rollcoach serve`. Reports, per model:
//   - inference per frame p50/p95 (pose.send() on the page's main thread) and the frame rate reached;
//   - capture -> motion message back from the server (landmarks, RCMF over the socket, analysis) p50/p95;
//   - capture -> that analysis painted on screen (the spine bar) p50/p95, and capture -> a camera cue
//     painted (the few lumbar cues the clip raises);
//   - the page's memory: JS heap (CDP Performance.getMetrics) and the renderer processes' RSS.
//
//   ROLLCOACH=build/release/apps/rollcoach/rollcoach node bench/camera/camera_page.mjs [seconds per model]
import { execFileSync } from 'node:child_process';
import { startServer, startSession } from '../../tests/e2e/harness.mjs';
import { clip, launchCameraBrowser } from '../../tests/e2e/camera-harness.mjs';

const seconds = Number(process.argv[2] ?? 30);
const c = clip('camera_lumbar');
const q = (values, p) => {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] * 10) / 10;
};

function rendererRssMiB() {
  const out = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' });
  return Math.round(out.split('\n').filter((l) => l.includes('--type=renderer') && l.includes('rollcoach-chromium-camera-'))
    .reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0]), 0) / 1024);
}

const results = [];
for (const model of ['lite', 'full']) {
  const server = await startServer({ speed: 1 });
  const b = await launchCameraBrowser({ camera: c.y4m, settings: { enabled: true, model, skeleton: true, saveLandmarks: false } });
  try {
    await startSession(b.page, server.url);
    await b.page.waitForFunction(() => (document.querySelector('rc-camera')?.poseRunner?.stats.frames ?? 0) > 5, null, { timeout: 90_000 });
    // Drop the warm-up, then measure.
    await b.page.evaluate(() => {
      const p = document.querySelector('rc-camera');
      p.poseRunner.stats.inferenceMs.length = 0;
      p.latency.motionMs.length = 0;
      p.latency.paintMs.length = 0;
      window.__benchStart = { t: performance.now(), frames: p.poseRunner.stats.frames };
    });
    await b.page.waitForTimeout(seconds * 1000);
    const page = await b.page.evaluate(() => {
      const p = document.querySelector('rc-camera');
      const s = p.poseRunner.stats;
      return {
        inference: s.inferenceMs, motion: p.latency.motionMs, paint: p.latency.paintMs, cue: p.latency.cueMs,
        fps: (s.frames - window.__benchStart.frames) / ((performance.now() - window.__benchStart.t) / 1000),
        found: s.found, frames: s.frames, modelLoadMs: s.modelLoadMs, server: p.serverStats,
      };
    });
    const cdp = await b.context.newCDPSession(b.page);
    await cdp.send('Performance.enable');
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    results.push({
      model, seconds, frames: page.frames, found: page.found, fps: Math.round(page.fps * 10) / 10, model_load_ms: Math.round(page.modelLoadMs),
      inference_ms: { p50: q(page.inference, 0.5), p95: q(page.inference, 0.95) },
      capture_to_motion_ms: { n: page.motion.length, p50: q(page.motion, 0.5), p95: q(page.motion, 0.95) },
      capture_to_screen_ms: { n: page.paint.length, p50: q(page.paint, 0.5), p95: q(page.paint, 0.95) },
      capture_to_cue_ms: { n: page.cue.length, values: page.cue.map((v) => Math.round(v)) },
      js_heap_mib: Math.round(metrics.JSHeapUsedSize / 1048576), renderer_rss_mib: rendererRssMiB(), server_stats: page.server,
    });
  } finally {
    await b.close();
    await server.stop();
  }
}
console.log(JSON.stringify({ machine: `${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, load ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}`, date: new Date().toISOString(), results }, null, 1));
