// Plays rendered clips through the product as deployed (docs/motion.md, "As deployed"): each
// clip's kept frames become a y4m that Chromium's fake camera plays to the real web app, served
// by `rollcoach serve`. A user's session is started, the phone "placed" and the calibration
// pressed during the still start, as a person would; the page's own pose model, roller finder
// (at its own cadence, guided by its own previous sighting) and RCMF frames reach the server's
// analyser, and every "motion" message the server sends back is recorded. Nothing here runs the
// analyser: what is scored is what the page was told.
//
//   ROLLCOACH=build/ci/apps/rollcoach/rollcoach node tools/footage/replay_page.mjs \
//     --set tests/data/footage/heldout_sealed6 --frames /tmp/rc-sealed6-frames --out /tmp/replay6 [--only a,b] [--height truth|none]
//   build/ci/tests/unit/motion/motion_footage_report /tmp/replay6 replay
//
// The y4m is the clip with its first frame held for --still-s seconds before it (the user lying
// still while they press "calibrate") and its last held for 1.2 s after it. Per clip it writes to
// --out, all on the y4m's clock (seconds from its first frame): NAME.truth.json (the clip's truth
// with every time moved by the held start, and meta.replay saying so), NAME.replay.jsonl (one
// line per motion message: the time, the contact, the findings, whether the page's frame carried
// a sighting) and NAME.page.jsonl (the frames as the page sent them, sightings included, in the
// footage JSON Lines format, which `motion_footage_report DIR page` analyses again). It prints
// how the page's clock was matched to the y4m's.
//
// The page's frame times are matched to y4m frames by the landmarks: the offset that makes the
// page's landmarks closest to the committed ones of the same frames (NAME.lite.jsonl, or
// NAME.full.jsonl with --model full; made from the PNG frames rather than the y4m, so close but
// not identical) over the moving part.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, startSession } from '../../tests/e2e/harness.mjs';
import { launchCameraBrowser } from '../../tests/e2e/camera-harness.mjs';

const fps = 12.5;
const frameMs = 1000 / fps;
const tailS = 1.2;

const usage = 'use --set DIR --frames DIR --out DIR [--only a,b] [--still-s S] [--height truth|none] [--model lite|full]';

function parseArgs(argv) {
  const args = { stillS: 4, only: null, model: 'lite', height: 'truth' };
  for (let i = 0; i < argv.length; i++) {
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
      return argv[++i];
    };
    if (argv[i] === '--set') args.set = resolve(next());
    else if (argv[i] === '--frames') args.frames = resolve(next());
    else if (argv[i] === '--out') args.out = resolve(next());
    else if (argv[i] === '--only') args.only = next().split(',');
    else if (argv[i] === '--still-s') args.stillS = Number(next());
    else if (argv[i] === '--height') args.height = next();
    else if (argv[i] === '--model') args.model = next();
    else throw new Error(`unknown argument ${argv[i]}: ${usage}`);
  }
  if (!args.set || !args.frames || !args.out) throw new Error(usage);
  if (args.height !== 'truth' && args.height !== 'none') throw new Error('--height must be truth (typed into the settings) or none');
  if (args.model !== 'lite' && args.model !== 'full') throw new Error('--model must be lite or full (the settings\' pose model)');
  if (!(args.stillS >= 1 && args.stillS <= 20)) throw new Error('--still-s must be 1-20 seconds');
  return args;
}

/** The clip with its first frame held before it and its last after it, as a y4m at 12.5 frames/s. */
function makeY4m(framesDir, count, stillFrames, tailFrames, work) {
  const linked = join(work, 'frames');
  mkdirSync(linked);
  const source = (k) => join(framesDir, `frame_${String(k).padStart(4, '0')}.png`);
  for (let k = 0; k < count; k++)
    if (!existsSync(source(k))) throw new Error(`${framesDir} has no frame ${k}: render the clip with --keep-frames`);
  const order = [...Array(stillFrames).fill(0), ...Array.from({ length: count }, (_, k) => k), ...Array(tailFrames).fill(count - 1)];
  order.forEach((k, i) => symlinkSync(source(k), join(linked, `f_${String(i).padStart(5, '0')}.png`)));
  const y4m = join(work, 'clip.y4m');
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-framerate', '25/2', '-i', join(linked, 'f_%05d.png'), '-pix_fmt', 'yuv420p', y4m]);
  return { y4m, frames: order.length };
}

/** Records, in the page, every frame the camera panel sends and every motion message it gets. */
async function record(page) {
  await page.waitForFunction(() => !!document.querySelector('rc-camera'), null, { timeout: 60_000 });
  await page.evaluate(() => {
    const panel = document.querySelector('rc-camera');
    const rec = { frames: [], motion: [] };
    window.__replay = rec;
    const frame = panel.frame.bind(panel);
    panel.frame = (f, found) => {
      rec.frames.push({
        t_us: f.timestampUs,
        aspect: f.aspect,
        // Five decimals, as the committed landmark files have them (a hundredth of a pixel).
        landmarks: found ? f.landmarks.map((l) => (l ? [l.x, l.y, l.z, l.visibility].map((v) => Math.round(v * 1e5) / 1e5) : null)) : null,
        roller: f.roller ? [f.roller.x, f.roller.y, f.roller.r, f.roller.confidence].map((v) => Math.round(v * 1e5) / 1e5) : null,
      });
      frame(f, found);
    };
    const motion = panel.motionMessage.bind(panel);
    panel.motionMessage = (m) => {
      rec.motion.push({
        t_us: m.t_us, calibrated: m.calibrated, contact_known: m.contact_known, fraction: m.fraction, level: m.level,
        learning: m.roller_start_learning, findings: m.findings.map((x) => x.code),
      });
      motion(m);
    };
  });
}

function readJsonl(path) {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/**
 * The page time (ms) of the y4m's frame 0: the offset whose frame mapping puts the page's landmarks
 * nearest the committed ones, over frames of the clip's moving part (where frames differ). The
 * y4m's colours differ a little from the PNGs', which shifts some landmarks by a constant: each
 * landmark's mean gap over the matched frames is taken out first, so what is left is timing.
 */
function alignClock(pageFrames, committed, stillFrames, firstMoving, guessMs) {
  const usable = pageFrames.filter((f) => f.landmarks);
  const costs = [];
  for (let origin = guessMs - 3000; origin <= guessMs + 3000; origin += 2) {
    const pairs = [];
    for (const f of usable) {
      const k = Math.round((f.t_us / 1000 - origin) / frameMs) - stillFrames;
      if (k < firstMoving || k >= committed.length || !committed[k].landmarks) continue;
      pairs.push([f.landmarks, committed[k].landmarks]);
    }
    if (pairs.length < 10) continue;
    let cost = 0;
    for (let j = 0; j < 25; j++) {
      for (const axis of [0, 1]) {
        const gaps = pairs.map(([p, c]) => p[j][axis] - c[j][axis]);
        const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
        cost += gaps.reduce((a, g) => a + Math.abs(g - mean), 0) / gaps.length;
      }
    }
    costs.push({ origin, cost: cost / 50, n: pairs.length });
  }
  if (!costs.length) return null;
  const least = Math.min(...costs.map((c) => c.cost));
  // The cost is flat while every frame keeps its match: the middle of the best stretch. The
  // runner-up is the best origin a frame or more away: how clearly the match stands out.
  const flat = costs.filter((c) => c.cost <= least + 1e-12);
  const origin = (flat[0].origin + flat[flat.length - 1].origin) / 2;
  const runnerUp = Math.min(...costs.filter((c) => Math.abs(c.origin - origin) >= frameMs).map((c) => c.cost));
  return { origin, cost: least, n: flat[0].n, runnerUp };
}

async function replayClip(args, name) {
  const truth = JSON.parse(readFileSync(join(args.set, `${name}.truth.json`), 'utf8'));
  const committed = readJsonl(join(args.set, `${name}.${args.model}.jsonl`));
  const count = truth.frames.length;
  const stillFrames = Math.round(args.stillS * fps);
  const tailFrames = Math.round(tailS * fps);
  const firstMoving = Math.max(0, truth.frames.findIndex((f) => f.speed_cm_s > 0.5));
  const work = mkdtempSync(join(tmpdir(), 'rc-replay-'));
  const server = await startServer({ speed: 1 });
  let browser = null;
  try {
    const clip = makeY4m(join(args.frames, name), count, stillFrames, tailFrames, work);
    // The user's height as they would type it into the camera settings, or left out (170 cm assumed).
    const heightCm = args.height === 'truth' ? Math.round(truth.meta.body_height_m * 100) : null;
    browser = await launchCameraBrowser({ camera: clip.y4m, settings: { enabled: true, model: args.model, skeleton: true, saveLandmarks: false, heightCm } });
    const { page } = browser;
    await startSession(page, server.url);
    await record(page);
    // As a user: the phone is placed, then "calibrate" while lying still at the start.
    await page.getByRole('button', { name: 'The phone is in place' }).click({ timeout: 60_000 });
    await page.getByRole('button', { name: 'I am in place: calibrate' }).click();
    const calibratePressed = await page.evaluate(() => performance.now());
    const origin = await page.evaluate(() => document.querySelector('rc-camera')?.poseRunner?.stats.streamOrigin ?? 0);
    const startedAt = await page.evaluate(() => document.querySelector('rc-camera')?.poseRunner?.stats.startedAt ?? 0);
    const guess = origin || startedAt;
    const endAt = guess + clip.frames * frameMs;
    await page.waitForFunction((end) => performance.now() > end + 1500 || document.querySelector('.camera-off-line'), endAt, { timeout: (clip.frames * frameMs) + 60_000, polling: 200 });
    const off = await page.evaluate(() => [...document.querySelectorAll('.camera-off-line')].map((e) => e.textContent));
    if (off.length) throw new Error(`${name}: the camera stopped: ${off.join(' ')}`);
    const rec = await page.evaluate(() => window.__replay);
    const aligned = alignClock(rec.frames, committed, stillFrames, firstMoving, guess);
    if (!aligned) throw new Error(`${name}: too few frames of the moving part reached the page to match its clock`);
    const startS = stillFrames / fps;
    const y4mSeconds = (tUs) => (tUs / 1000 - aligned.origin) / 1000;
    const clipSeconds = (tUs) => y4mSeconds(tUs) - startS;
    const within = (t) => t >= 0 && t < clip.frames / fps;
    const motion = rec.motion.map((m) => ({ ...m, t: y4mSeconds(m.t_us) })).filter((m) => within(m.t));
    const framesByT = new Map(rec.frames.map((f) => [f.t_us, f]));
    const lines = motion.map((m) => JSON.stringify({
      t: Number(m.t.toFixed(4)), calibrated: m.calibrated, contact_known: m.contact_known, fraction: m.fraction, level: m.level,
      learning: m.learning, findings: m.findings, sighting: !!framesByT.get(m.t_us)?.roller,
    }));
    writeFileSync(join(args.out, `${name}.replay.jsonl`), `${lines.join('\n')}\n`);
    const pageLines = rec.frames.map((f) => ({ ...f, t: y4mSeconds(f.t_us) })).filter((f) => within(f.t) && f.landmarks).map((f) => JSON.stringify({
      t: Number(f.t.toFixed(4)), aspect: f.aspect, landmarks: f.landmarks, ...(f.roller ? { roller: f.roller } : {}),
    }));
    writeFileSync(join(args.out, `${name}.page.jsonl`), `${pageLines.join('\n')}\n`);
    const moved = {
      meta: { ...truth.meta, replay: { clip_starts_s: startS, held_end_s: tailFrames / fps, height_sent_cm: heightCm, how: 'tools/footage/replay_page.mjs: the web app as deployed, times on the y4m clock' } },
      frames: truth.frames.map((f) => ({ ...f, t: Number((f.t + startS).toFixed(4)) })),
    };
    writeFileSync(join(args.out, `${name}.truth.json`), `${JSON.stringify(moved)}\n`);
    const calibrated = motion.find((m) => m.calibrated);
    const inClip = motion.filter((m) => m.t >= startS && m.t < startS + count / fps);
    return {
      name,
      frames: rec.frames.length,
      motion: motion.length,
      inClip: inClip.length,
      sightings: rec.frames.filter((f) => f.roller).length,
      match: aligned.cost,
      runnerUp: aligned.runnerUp,
      matched: aligned.n,
      originShiftMs: origin ? aligned.origin - origin : null,
      calibrateAt: clipSeconds(calibratePressed * 1000),
      calibratedAt: calibrated ? calibrated.t - startS : null,
    };
  } finally {
    await browser?.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(args.out, { recursive: true });
  const names = readdirSync(args.set).filter((f) => f.endsWith('.truth.json')).map((f) => f.slice(0, -'.truth.json'.length))
    .filter((n) => !args.only || args.only.includes(n)).filter((n) => existsSync(join(args.frames, n)));
  if (!names.length) {
    throw new Error(`no clip of ${args.set} has frames in ${args.frames}: render them first, e.g. make footage `
      + `FOOTAGE_ARGS="--only NAME,NAME --frames-only ${args.frames}" (the frames are not kept in the repository)`);
  }
  let failed = 0;
  for (const name of names) {
    try {
      const r = await replayClip(args, name);
      console.log(`${r.name}: ${r.frames} frames reached the page (${r.sightings} with a sighting), ${r.inClip} motion messages in the clip;`
        + ` clock matched on ${r.matched} frames (mean landmark gap ${r.match.toFixed(4)}, a frame off ${r.runnerUp.toFixed(4)}, ${r.originShiftMs === null ? 'no stream origin' : `${r.originShiftMs.toFixed(0)} ms from the stream origin`});`
        + ` calibrate pressed at ${r.calibrateAt.toFixed(2)} s, calibrated at ${r.calibratedAt === null ? 'never' : `${r.calibratedAt.toFixed(2)} s`} (clip time); load ${loadavg()[0].toFixed(1)}`);
    } catch (error) {
      failed++;
      console.error(`${name}: ${error.message}`);
    }
  }
  if (failed) process.exitCode = 1;
}

main().catch((error) => {
  console.error(`replay_page: ${error.message}`);
  process.exitCode = 2;
});
