// The live camera in the browser, end to end (docs/camera.md): Chromium's fake camera plays a
// clip rendered by the footage tool (tests/e2e/camera/make_camera_clips.py), the real pose model
// (@mediapipe/pose lite, CPU) runs in the page, its landmarks go to `rollcoach serve` as RCMF
// frames, and the analyser's cues come back. Checked: the lumbar cue is shown and handed to the
// voice within about a second of the roller crossing L1 (the clip's truth), a clean clip gives
// none, a denied or missing camera leaves the session running to its end with one line saying
// why, the saved landmarks are read by `rollcoach analyze`, the CSP is the strict one plus
// 'wasm-unsafe-eval', and no request leaves 127.0.0.1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { laptop, launchBrowser, offLoopback, phone, rollcoachBinary, shoot, startServer, startSession } from './harness.mjs';
import { clip, launchCameraBrowser, watchCues } from './camera-harness.mjs';

const cameraState = (page) => page.evaluate(() => {
  const panel = document.querySelector('rc-camera');
  const runner = panel?.poseRunner;
  return {
    stage: panel?.stage ?? null,
    startedAt: runner?.stats.streamOrigin || runner?.stats.startedAt || 0,
    frames: runner?.stats.frames ?? 0,
    found: runner?.stats.found ?? 0,
    motion: panel?.latency.motionMs.length ?? 0,
    level: document.querySelector('.spine-level')?.textContent ?? '',
    shown: window.__cueShown ?? {},
    zoneSeenAt: panel?.zoneSeenAt ?? {},
    said: document.querySelector('rc-session')?.saidTexts ?? [],
    cue: document.querySelector('.camera-cue')?.textContent ?? '',
    off: [...document.querySelectorAll('.camera-off-line')].map((e) => e.textContent),
  };
});

/** Waits until the camera runs (its first frame) and returns the page time it started at. */
async function cameraStarted(page) {
  await page.waitForFunction(() => (document.querySelector('rc-camera')?.poseRunner?.stats.startedAt ?? 0) > 0
    || document.querySelector('.camera-off-line'), null, { timeout: 60_000 });
  const state = await cameraState(page);
  assert.deepEqual(state.off, [], `the camera should run, but: ${state.off}`);
  return state.startedAt;
}

function checkCsp(response) {
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'|https?:|\*/, 'the CSP allows nothing beyond wasm compilation');
  assert.match(csp, /connect-src 'self';/);
}

test('the lumbar clip: the real pose model in the page, the lumbar cue shown and spoken within about a second of the crossing', { timeout: 240_000 }, async () => {
  const c = clip('camera_lumbar');
  const server = await startServer({ speed: 1 });
  const b = await launchCameraBrowser({ camera: c.y4m, settings: { enabled: true, model: 'lite', skeleton: true, saveLandmarks: true } });
  try {
    const response = await b.page.goto(server.url);
    checkCsp(response);
    await startSession(b.page, server.url);
    await watchCues(b.page);
    const startedAt = await cameraStarted(b.page);
    // The setup guide, then the calibration moment while the clip's body holds still at the start.
    await b.page.getByRole('button', { name: 'The phone is in place' }).click();
    await b.page.getByRole('button', { name: 'I am in place: calibrate' }).click();
    await b.page.waitForFunction(() => window.__cueShown?.lumbar_contact !== undefined, null, { timeout: (c.duration + 5) * 1000 });
    const state = await cameraState(b.page);
    // The clip's time 0 is the stream's media time 0 (streamOrigin, known from the first frame's
    // metadata, so read now). Read as soon as the camera started it could still be the moment
    // playback began after the model loaded, seconds after the fake camera started the clip on a
    // loaded machine: the cue then looked early (-1.08 s on a fresh clone).
    const crossingAt = state.startedAt + c.firstLumbar * 1000;
    const late = (state.shown.lumbar_contact - crossingAt) / 1000;
    const afterEstimate = (state.shown.lumbar_contact - state.zoneSeenAt.lumbar) / 1000;
    await shoot(b.page, 'camera-lumbar-390');
    // With the camera panel open at 390x844 the session page still fits: nothing to scroll to
    // reach a safety control while lying on the floor.
    const overflow = await b.page.evaluate(() => document.scrollingElement.scrollHeight - window.innerHeight);
    assert.ok(overflow <= 1, `the session page with the camera on is ${overflow} px taller than a 390x844 screen`);
    console.log(`# lumbar clip: ${state.frames} frames, body in ${state.found}, ${state.motion} motion messages; the cue ${afterEstimate.toFixed(2)} s after the`
      + ` first frame the server placed on the lumbar spine, ${late.toFixed(2)} s after the true crossing: "${state.cue}"`);
    assert.ok(state.found > 0.9 * state.frames, `the model found the body in ${state.found} of ${state.frames} frames`);
    // The page's part: from the camera frame whose estimate first reached the lumbar spine to the cue on screen
    // (capture, model, RCMF, the server's analysis and debounce, the session machine, the paint).
    assert.ok(afterEstimate >= 0 && afterEstimate < 1.0, `the cue came ${afterEstimate.toFixed(2)} s after the estimate reached the lumbar spine`);
    // Against the clip's truth: the analyser's estimate trails the true contact on this clip (docs/camera.md), so 2 s.
    // Since the lumbar warning fires on the first frame past L1 (docs/motion.md, sixth round) it can also lead the
    // crossing a little (-0.55 s on a fresh clone): up to 1 s early counts, as the footage scorer counts it.
    assert.ok(late > -1.0 && late < 2.0, `the lumbar cue came ${late.toFixed(2)} s after the roller crossed L1 (clip ${c.firstLumbar} s; `
      + `stream origin ${(state.startedAt - startedAt).toFixed(0)} ms from the origin read at the camera's start)`);
    assert.ok(state.said.includes(state.cue) || state.said.some((t) => /lower back|move up/i.test(t)), `the cue went to the voice: ${state.said.slice(-5)}`);
    assert.match(state.level, /^(T|L|S|C)\d+$/, 'the spine bar shows a level');
    assert.ok(state.motion >= 0.9 * state.frames && state.motion > 10, `the server answered ${state.motion} of ${state.frames} frames with motion messages`);

    // End the session, then save the landmarks and let `rollcoach analyze` read them.
    await b.page.getByRole('button', { name: 'End the session' }).click();
    await b.page.getByRole('heading', { name: /Session stopped|session complete/ }).waitFor();
    assert.equal(await b.page.locator('rc-camera').count(), 0, 'the camera is gone once the session ends');
    const downloaded = b.page.waitForEvent('download');
    await b.page.getByRole('button', { name: /Save my landmarks for my therapist/ }).click();
    const dir = mkdtempSync(join(tmpdir(), 'rollcoach-landmarks-'));
    try {
      const file = join(dir, 'landmarks.jsonl');
      await (await downloaded).saveAs(file);
      assert.doesNotMatch(readFileSync(file, 'utf8'), /data:image|base64/, 'landmarks only, no picture');
      const report = JSON.parse(execFileSync(rollcoachBinary(), ['analyze', file, '--exercise', 'thoracic_roll', '--json'], { encoding: 'utf8' }));
      // Every frame the page sent is in the file; how many that is depends on the machine's pace (a
      // loaded two-core machine sent 20 in all once), so the floor is the one the motion check uses.
      assert.ok(report.frames >= Math.min(state.motion, state.frames) && report.frames > 10, `rollcoach analyze read ${report.frames} frames (the page sent ${state.motion} before the cue)`);
      assert.deepEqual(report.problems, []);
      assert.ok(report.findings.some((f) => f.code === 'lumbar_contact'), 'the saved landmarks show the lumbar crossing too');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The pose model's files came from this server and are cached for offline use.
    const cached = await b.page.evaluate(async () => {
      const files = ['/pose/pose.js', '/pose/pose_solution_packed_assets.data', '/pose/pose_landmark_lite.tflite'];
      return Promise.all(files.map(async (f) => !!(await caches.match(f))));
    });
    assert.deepEqual(cached, [true, true, true], 'the service worker keeps the pose model for offline use');
    assert.deepEqual(offLoopback(b.requests), [], 'no request to another origin');
    assert.deepEqual(b.consoleErrors.filter((e) => /Content Security Policy|Refused to/.test(e)), []);
  } finally {
    await b.close();
    await server.stop();
  }
});

test('the clean clip: no lumbar cue; a hidden tab stops the camera and a shown one starts it again; turned off, it stops and says so once', { timeout: 240_000 }, async () => {
  const c = clip('camera_clean');
  const server = await startServer({ speed: 1 });
  const b = await launchCameraBrowser({ camera: c.y4m, viewport: laptop });
  try {
    await startSession(b.page, server.url);
    await watchCues(b.page);
    const startedAt = await cameraStarted(b.page);
    const levels = new Set();
    // One pass of the clip (the fake camera loops it: stop before it starts again).
    while ((await b.page.evaluate(() => performance.now())) < startedAt + (c.duration - 0.3) * 1000) {
      const state = await cameraState(b.page);
      if (state.level && state.level !== '–') levels.add(state.level);
      await b.page.waitForTimeout(250);
    }
    const state = await cameraState(b.page);
    await shoot(b.page, 'camera-clean-desktop');
    assert.ok(state.motion > 10, `the server answered ${state.motion} frames`);
    assert.ok(levels.size > 0, 'the spine bar showed the estimated level');
    assert.equal(state.shown.lumbar_contact, undefined, `no lumbar cue on a clean clip (levels seen: ${[...levels]})`);
    assert.deepEqual(offLoopback(b.requests), []);
    // A hidden tab stops the camera (every track ended); shown again, it starts again.
    const live = () => b.page.evaluate(() => {
      const video = document.querySelector('rc-camera video');
      const tracks = video?.srcObject?.getTracks?.() ?? [];
      return { stage: document.querySelector('rc-camera')?.stage, live: tracks.filter((t) => t.readyState === 'live').length };
    });
    assert.equal((await live()).live, 1);
    const setVisibility = (state) => b.page.evaluate((v) => {
      Object.defineProperty(document, 'visibilityState', { value: v, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
    await setVisibility('hidden');
    assert.deepEqual(await live(), { stage: 'paused', live: 0 });
    assert.match(await b.page.locator('.camera-indicator').textContent(), /paused/);
    await setVisibility('visible');
    await b.page.waitForFunction(() => document.querySelector('rc-camera')?.stage !== 'starting' && document.querySelector('rc-camera video')?.srcObject, null, { timeout: 30_000 });
    assert.equal((await live()).live, 1);
    // Turned off by the user: the panel goes, the camera stops, one line says so, the session goes on.
    const track = await b.page.evaluateHandle(() => document.querySelector('rc-camera video').srcObject.getTracks()[0]);
    await b.page.getByRole('button', { name: 'Turn camera off' }).click();
    assert.equal(await b.page.locator('rc-camera').count(), 0);
    assert.equal(await track.evaluate((t) => t.readyState), 'ended');
    assert.match(await b.page.locator('.camera-off-line').textContent(), /you turned it off.*session goes on/);
    assert.equal(await b.page.locator('rc-ring').count(), 1);
  } finally {
    await b.close();
    await server.stop();
  }
});

for (const [camera, why] of [['denied', /not allowed/], ['none', /no camera/]]) {
  test(`camera ${camera}: the session runs to its end and the page says once why the camera is off`, { timeout: 240_000 }, async () => {
    const server = await startServer({ speed: 60 });
    const b = await launchCameraBrowser({ camera });
    try {
      await startSession(b.page, server.url);
      await b.page.locator('.camera-off-line').waitFor({ timeout: 60_000 });
      await shoot(b.page, `camera-${camera}-390`);
      let seen = 0;
      for (;;) {
        if (await b.page.getByRole('heading', { name: /session complete|Session stopped/ }).count()) break;
        const lines = await b.page.locator('.camera-off-line').allTextContents();
        assert.ok(lines.length <= 1, 'one line, never repeated');
        if (lines.length) {
          assert.match(lines[0], why);
          assert.match(lines[0], /session goes on/);
          seen++;
        }
        await b.page.waitForTimeout(500);
      }
      assert.ok(seen > 0);
      assert.equal(await b.page.getByRole('heading', { name: 'Well done: session complete' }).count(), 1, 'the session ran to its end');
      assert.deepEqual(offLoopback(b.requests), []);
    } finally {
      await b.close();
      await server.stop();
    }
  });
}

test('the height typed in the camera settings goes with the session start, and a wrong one is refused there', { timeout: 120_000 }, async () => {
  const server = await startServer({ speed: 60 });
  // No camera, and the settings left to the user (launchCameraBrowser would write them at each load).
  const b = await launchBrowser(phone, { extraArgs: ['--use-fake-ui-for-media-stream'], profilePrefix: 'rollcoach-chromium-camera-' });
  const sent = [];
  b.page.on('websocket', (ws) => ws.on('framesent', (frame) => {
    if (typeof frame.payload === 'string') sent.push(frame.payload);
  }));
  try {
    await b.page.goto(`${server.url}#/settings`);
    await b.page.getByRole('checkbox', { name: 'Watch me with the camera during sessions' }).check();
    const box = b.page.locator('input[name=height]');
    await box.fill('5.8');
    await box.press('Tab');
    await b.page.getByRole('alert').filter({ hasText: /centimetres, from 100 to 250/ }).waitFor();
    await shoot(b.page, 'camera-height-refused-390');
    await box.fill('181');
    await box.press('Tab');
    assert.equal(await b.page.getByRole('alert').filter({ hasText: /centimetres/ }).count(), 0);
    await startSession(b.page, server.url);
    await b.page.locator('.camera-off-line').waitFor({ timeout: 60_000 });
    const start = sent.map((p) => JSON.parse(p)).find((m) => m.type === 'start');
    assert.ok(start, `a start message was sent: ${sent.slice(0, 3)}`);
    assert.equal(start.body_height_cm, 181);
  } finally {
    await b.close();
    await server.stop();
  }
});
