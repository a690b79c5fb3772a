// "Find the roller in the picture" (on by default), end to end: Chromium's fake camera plays the
// lumbar test clip (a MakeHuman body on a roller, rendered by the footage tool), the pose model
// runs in the page, and with the setting on the page's roller finder (web/src/camera/roller-finder.js)
// looks at a picture every 150 ms at most (each one while the analyser learns where the roller started) and
// sends what it saw in RCMF version 2 frames. Checked against
// the server, not the page: its motion_stats count the analysed frames that carried a sighting.
// With the setting off (the default) the page copies no picture and sends no sighting.
// The finder's cost per look in this browser is printed (docs/benchmarks.md, camera section).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadavg } from 'node:os';
import { offLoopback, shoot, startServer, startSession } from './harness.mjs';
import { clip, launchCameraBrowser } from './camera-harness.mjs';

const state = (page) => page.evaluate(() => {
  const panel = document.querySelector('rc-camera');
  const runner = panel?.poseRunner;
  const sighter = runner?.sighter ?? null;
  return {
    frames: runner?.stats.frames ?? 0,
    found: runner?.stats.found ?? 0,
    stats: panel?.serverStats ?? null,
    sighter: sighter ? { looked: sighter.stats.looked, seen: sighter.stats.seen, ms: [...sighter.stats.ms], learningFrames: sighter.stats.learningFrames, gapsMs: [...sighter.stats.gapsMs] } : null,
    off: [...document.querySelectorAll('.camera-off-line')].map((e) => e.textContent),
  };
});

/** Runs the lumbar clip in a session until the server's stats have counted `analysed` frames. */
async function run(settings, analysed) {
  const c = clip('camera_lumbar');
  const server = await startServer({ speed: 1 });
  const b = await launchCameraBrowser({ camera: c.y4m, settings });
  try {
    await startSession(b.page, server.url);
    // Through the setup and the calibration to the live view, as a user would.
    await b.page.getByRole('button', { name: 'The phone is in place' }).click({ timeout: 60_000 });
    await b.page.getByRole('button', { name: 'I am in place: calibrate' }).click();
    await b.page.waitForFunction((n) => (document.querySelector('rc-camera')?.serverStats?.analysed ?? 0) >= n
      || document.querySelector('.camera-off-line'), analysed, { timeout: 120_000 });
    const s = await state(b.page);
    assert.deepEqual(s.off, [], `the camera should run, but: ${s.off}`);
    await shoot(b.page, settings.findRoller === false ? 'camera-roller-finder-off-390' : 'camera-roller-finder-390');
    // With the camera panel live at 390x844 the session page still fits: no safety control under the fold.
    await b.page.waitForFunction(() => document.querySelector('rc-camera')?.stage === 'on', null, { timeout: 30_000 });
    const overflow = await b.page.evaluate(() => document.scrollingElement.scrollHeight - window.innerHeight);
    assert.ok(overflow <= 1, `the session page with the camera on is ${overflow} px taller than a 390x844 screen`);
    assert.deepEqual(offLoopback(b.requests), [], 'no request to another origin');
    // Calibrated: the clip's still start has been seen, so the analyser has asked for sightings.
    s.calibrated = await state(b.page);
    return s;
  } finally {
    await b.close();
    await server.stop();
  }
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

test('roller finder on (the default): sightings reach the server in RCMF v2 frames and the analyser gets them', { timeout: 240_000 }, async () => {
  const s = await run({ enabled: true, model: 'lite', skeleton: true, saveLandmarks: false }, 30);
  assert.ok(s.sighter, 'the runner has a roller sighter');
  assert.ok(s.sighter.looked >= 5, `the finder looked at ${s.sighter.looked} pictures`);
  // A picture is looked at every 150 ms at most (each one while the analyser learns where the
  // roller started), and on this clip the roller is in view in all of them.
  const gaps = s.sighter.gapsMs;
  assert.ok(gaps.length > 0 && Math.min(...gaps) >= 149,
    `outside the start the page looked ${gaps.length + 1} times, the closest two ${Math.min(...gaps).toFixed(0)} ms apart: 150 ms at least`);
  assert.ok(s.sighter.looked <= s.frames, `${s.sighter.looked} looks in ${s.frames} frames`);
  // Once calibrated, the analyser has asked for a sighting on every frame of the still start, and
  // the page did as asked.
  const c = s.calibrated.sighter;
  assert.ok(c.learningFrames >= 3, `the page looked on every frame for ${c.learningFrames} frames while the start was learnt`);
  assert.ok(c.looked >= c.learningFrames, `${c.looked} looks, ${c.learningFrames} frames while learning`);
  assert.ok(s.sighter.seen >= 0.8 * s.sighter.looked, `the finder saw the roller in ${s.sighter.seen} of ${s.sighter.looked} looks`);
  const sent = s.stats.roller_sightings;
  assert.equal(s.stats.reasons.malformed, 0, 'the server read every frame');
  assert.equal(s.stats.reasons.version, 0, 'the server reads version 2');
  assert.ok(sent > 0, `the server analysed ${sent} frames with a sighting (of ${s.stats.analysed})`);
  // The stats lag the page by up to 5 s; what they count cannot exceed what the page saw.
  assert.ok(sent <= s.sighter.seen, `${sent} sightings analysed, ${s.sighter.seen} seen by the page`);
  const ms = s.sighter.ms;
  console.log(`# roller finder on the lumbar clip: ${s.sighter.seen}/${s.sighter.looked} looks found the roller in ${s.frames} frames;`
    + ` the server analysed ${sent} of ${s.stats.analysed} frames with a sighting; copy + finder per look: median`
    + ` ${quantile(ms, 0.5).toFixed(1)} ms, p95 ${quantile(ms, 0.95).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (480x270, ${ms.length} looks);`
    + ` by the calibration ${c.learningFrames} of ${s.calibrated.frames} frames were looked at while the start was learnt;`
    + ` between looks outside the start: median ${quantile(gaps, 0.5).toFixed(0)} ms;`
    + ` load average ${loadavg()[0].toFixed(1)}`);
});

test('roller finder turned off: no picture is copied and no sighting is sent', { timeout: 240_000 }, async () => {
  const s = await run({ enabled: true, model: 'lite', skeleton: true, saveLandmarks: false, findRoller: false }, 30);
  assert.equal(s.sighter, null, 'no sighter: the pictures stay in the video element');
  assert.equal(s.stats.roller_sightings, 0, 'the server analysed no frame with a sighting');
  assert.ok(s.stats.analysed >= 30);
});
