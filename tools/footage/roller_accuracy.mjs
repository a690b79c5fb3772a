// How right the roller finder's sightings are, by confidence: each NAME.roller.jsonl (from
// roller_sightings.mjs) against the renderer's true disc (truth.json's roller_image, per frame).
// A misfind is a centre more than half the true disc's radius away. Prints one table per group.
//
//   node roller_accuracy.mjs GROUP=FRAMES_DIR:SIGHTINGS.jsonl [GROUP=FRAMES_DIR:SIGHTINGS.jsonl ...]
//
// e.g. tuning=/tmp/frames/slip_lumbar_a:tests/data/footage/tuning/slip_lumbar_a.roller.jsonl
// FRAMES_DIR is the folder make_footage.py --frames-only (or finder_renders.py) wrote: its
// truth.json says where the disc was. Frames whose truth has no disc, or an impossible one (the
// first frame of some early renders), are left out and counted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
if (args.length === 0 || args.some((a) => !/^[^=]+=[^:]+:.+$/.test(a))) {
  console.error('usage: node roller_accuracy.mjs GROUP=FRAMES_DIR:SIGHTINGS.jsonl ...');
  process.exit(2);
}
const groups = new Map();
for (const arg of args) {
  const [group, rest] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
  const [frames, sightings] = [rest.slice(0, rest.indexOf(':')), rest.slice(rest.indexOf(':') + 1)];
  const truth = JSON.parse(readFileSync(join(frames, 'truth.json'), 'utf8'));
  const { fps, width, height } = truth.meta;
  const rows = groups.get(group) ?? [];
  let noTruth = 0;
  for (const line of readFileSync(sightings, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line);
    if (!o.roller) continue;
    const disc = truth.frames[Math.round(o.t * fps)]?.roller_image;
    if (!disc || !(disc[2] > 0 && disc[2] < 0.5) || Math.abs(disc[0] - 0.5) > 1) {
      noTruth++;
      continue;
    }
    const [x, y, , confidence = 1] = o.roller;
    const off = Math.hypot((x - disc[0]) * width, (y - disc[1]) * height) / (disc[2] * height);
    rows.push({ clip: truth.meta.name, confidence, misfind: off > 0.5 });
  }
  if (noTruth) console.log(`${truth.meta.name}: ${noTruth} sightings without a true disc, left out`);
  groups.set(group, rows);
}
const bins = [[0, 0.3], [0.3, 0.5], [0.5, 0.9], [0.9, 1.0001]];
for (const [group, rows] of groups) {
  const mis = rows.filter((r) => r.misfind).length;
  console.log(`\n${group}: ${rows.length} sightings, ${mis} misfinds`);
  console.log('| confidence | sightings | misfinds |\n|---|---|---|');
  for (const [a, b] of bins) {
    const g = rows.filter((r) => r.confidence >= a && r.confidence < b);
    console.log(`| ${a}-${Math.min(b, 1)} | ${g.length} | ${g.filter((r) => r.misfind).length} |`);
  }
  for (const clip of [...new Set(rows.map((r) => r.clip))]) {
    const g = rows.filter((r) => r.clip === clip);
    const m = g.filter((r) => r.misfind);
    console.log(`  ${clip}: ${m.length}/${g.length} misfinds, ${m.filter((r) => r.confidence >= 0.5).length} of them at 0.5 or more;`
      + ` ${g.filter((r) => !r.misfind && r.confidence < 0.5).length} good ones under 0.5`);
  }
}
