// Finds a foam roller's end disc in one picture of a person lying on it, seen from the side: the
// image cue the pose model lacks (it has no landmark for the roller). Plain pixel arithmetic with
// no model, on RGBA pixels (a canvas's ImageData). ONE implementation: the camera page imports it
// (web/src/camera/roller-sighter.ts) and so does the footage tool (tools/footage/roller_sightings.mjs,
// which serves this file to headless Chromium).
//
//   const found = findRoller(imageData.data, width, height, landmarks, { previous });
//   // landmarks: MediaPipe's 33, normalized, each [x, y, ...] or {x, y, ...} (null if absent)
//   // -> { x, y, r, score, confidence, cues } or null: x across and y down as a share of the
//   //    width and height, r as a share of the height; confidence 0..1 says how sure it is that
//   //    this is the roller's NEAR end disc; previous is the last sighting ({x, y, r}) or null.
//
// The roller lies under the back between the hips and the shoulders, below the shoulder-hip
// line, and is about 0.3 shoulder-hip lengths across (15 cm against about 50 cm). The search
// scores circles there by how strongly the picture changes across their rim (lower three
// quarters: the top touches the back) and how even their inside is. The confidence then asks
// what the misfinds on the finder's tuning renders lacked (docs/web.md, "Finding the roller in
// the picture"): no other circle that could be the near end (as large, 1.5 radii away) scores
// nearly as well, no larger one scores close, the rim is edged over much of its length, the size
// fits the body's, and the disc is where the last sighting was. The disc's colour contrast with
// the floor is reported (cues.contrast) but not used: a roller the floor's colour was still found
// to the pixel by its edges, and marking it down cost most good sightings of such a clip.
const SHOULDERS = [11, 12];
const HIPS = [23, 24];
const RIM = 40;
const DISC = [[0, 0], [0.35, 0], [-0.35, 0], [0, 0.35], [0, -0.35], [0.25, 0.25], [-0.25, 0.25], [0.25, -0.25], [-0.25, -0.25], [0.6, 0], [-0.6, 0], [0, 0.6], [0, -0.6]];
// The lower three quarters of the rim (angles measured with y down): the top meets the back.
const RIM_COS = new Float64Array(RIM);
const RIM_SIN = new Float64Array(RIM);
for (let k = 0; k < RIM; k++) {
  const a = (-45 + (270 * k) / (RIM - 1)) * Math.PI / 180;
  RIM_COS[k] = Math.cos(a);
  RIM_SIN[k] = Math.sin(a);
}

function point(p) {
  if (!p) return null;
  const x = Array.isArray(p) ? p[0] : p.x;
  const y = Array.isArray(p) ? p[1] : p.y;
  return Number.isFinite(x) && Number.isFinite(y) ? [x, y] : null;
}

function mid(landmarks, ids, width, height) {
  const pts = ids.map((i) => point(landmarks[i])).filter((p) => p);
  if (pts.length === 0) return null;
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length * width, pts.reduce((s, p) => s + p[1], 0) / pts.length * height];
}

const logistic = (z) => 1 / (1 + Math.exp(-z));
const clamp01 = (v) => Math.max(0, Math.min(1, v));

export function findRoller(data, width, height, landmarks, options = {}) {
  if (!landmarks) return null;
  const S = mid(landmarks, SHOULDERS, width, height);
  const P = mid(landmarks, HIPS, width, height);
  if (!S || !P) return null;
  const L = Math.hypot(S[0] - P[0], S[1] - P[1]);
  if (L < 20) return null;
  const ux = (S[0] - P[0]) / L, uy = (S[1] - P[1]) / L;
  // The normal that points down the picture (toward the floor).
  let nx = -uy, ny = ux;
  if (ny < 0) { nx = -nx; ny = -ny; }
  const r0 = 0.152 * L;

  // A colour gradient (per channel, keeping the strongest channel's sign) over the search box.
  const along = [0.0, 1.45], across = [0.05, 1.0];
  const corners = [];
  for (const a of along) for (const b of across) corners.push([P[0] + a * L * ux + b * L * nx, P[1] + a * L * uy + b * L * ny]);
  const pad = Math.ceil(2.2 * r0);
  const x0 = Math.max(1, Math.floor(Math.min(...corners.map((c) => c[0])) - pad));
  const x1 = Math.min(width - 2, Math.ceil(Math.max(...corners.map((c) => c[0])) + pad));
  const y0 = Math.max(1, Math.floor(Math.min(...corners.map((c) => c[1])) - pad));
  const y1 = Math.min(height - 2, Math.ceil(Math.max(...corners.map((c) => c[1])) + pad));
  if (x1 - x0 < 8 || y1 - y0 < 8) return null;
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  const gx = new Float32Array(w * h), gy = new Float32Array(w * h);
  const row = 4 * width;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let sx = 0, sy = 0;
      const o = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) {
        const i = o + c;
        const dx = (data[i + 4 - row] + 2 * data[i + 4] + data[i + 4 + row]) - (data[i - 4 - row] + 2 * data[i - 4] + data[i - 4 + row]);
        const dy = (data[i - 4 + row] + 2 * data[i + row] + data[i + 4 + row]) - (data[i - 4 - row] + 2 * data[i - row] + data[i + 4 - row]);
        // Keep the sign of the strongest channel so that the radial component is meaningful.
        if (Math.abs(dx) > Math.abs(sx)) sx = dx;
        if (Math.abs(dy) > Math.abs(sy)) sy = dy;
      }
      gx[(y - y0) * w + (x - x0)] = sx / 8;
      gy[(y - y0) * w + (x - x0)] = sy / 8;
    }
  }
  const inside = (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
  const rimEdge = new Float64Array(RIM);
  const disc = new Float64Array(3 * DISC.length);
  // Rim: mean radial gradient over the lower rim; disc: the mean colour distance of the inside
  // from its own mean (a disc is even). rimEdge keeps each rim sample for the confidence.
  function score(cx, cy, r) {
    let edge = 0;
    for (let k = 0; k < RIM; k++) {
      const c = RIM_COS[k], s = RIM_SIN[k];
      const x = Math.round(cx + r * c), y = Math.round(cy + r * s);
      if (!inside(x, y)) return -1;
      const i = (y - y0) * w + (x - x0);
      const e = Math.abs(gx[i] * c + gy[i] * s);
      rimEdge[k] = e;
      edge += e;
    }
    let m0 = 0, m1 = 0, m2c = 0;
    for (let k = 0; k < DISC.length; k++) {
      const x = Math.round(cx + r * DISC[k][0]), y = Math.round(cy + r * DISC[k][1]);
      const o = 4 * (y * width + x);
      disc[3 * k] = data[o]; disc[3 * k + 1] = data[o + 1]; disc[3 * k + 2] = data[o + 2];
      m0 += data[o] / DISC.length; m1 += data[o + 1] / DISC.length; m2c += data[o + 2] / DISC.length;
    }
    let spread = 0;
    for (let k = 0; k < DISC.length; k++)
      spread += Math.hypot(disc[3 * k] - m0, disc[3 * k + 1] - m1, disc[3 * k + 2] - m2c) / DISC.length;
    return edge / RIM - 1.0 * spread;
  }
  let best = null;
  const candidates = [];
  const step = Math.max(1, r0 / 5);
  for (let a = along[0] * L; a <= along[1] * L; a += step) {
    for (let b = across[0] * L; b <= across[1] * L; b += step) {
      const cx = P[0] + a * ux + b * nx, cy = P[1] + a * uy + b * ny;
      let here = null;
      for (const f of [0.9, 1.05, 1.2, 1.35, 1.5]) {
        const s = score(cx, cy, f * r0);
        if (s > 0 && (!here || s > here.s)) here = { cx, cy, r: f * r0, s };
      }
      if (here) {
        candidates.push(here);
        if (!best || here.s > best.s) best = here;
      }
    }
  }
  if (!best) return null;
  // Refine around a circle at one-pixel steps.
  function refine(circle) {
    for (let pass = 0; pass < 2; pass++) {
      const d = pass === 0 ? step / 2 : 1;
      let improved = true;
      while (improved) {
        improved = false;
        for (const [ddx, ddy, dr] of [[d, 0, 0], [-d, 0, 0], [0, d, 0], [0, -d, 0], [0, 0, d], [0, 0, -d]]) {
          const s = score(circle.cx + ddx, circle.cy + ddy, circle.r + dr);
          if (s > circle.s) { circle = { cx: circle.cx + ddx, cy: circle.cy + ddy, r: circle.r + dr, s }; improved = true; }
        }
      }
    }
    return circle;
  }
  best = refine(best);
  const cues = describe(best);
  return {
    x: best.cx / width, y: best.cy / height, r: best.r / height, score: best.s,
    confidence: confidenceFrom(cues), cues,
  };

  // What the confidence is made of, for the best circle.
  function describe(found) {
    score(found.cx, found.cy, found.r); // fills rimEdge for this circle
    const mean = rimEdge.reduce((s, e) => s + e, 0) / RIM;
    // Coverage: the share of the rim with a real edge; sectors: the weakest of the left, bottom
    // and right thirds against the mean (one borrowed straight edge leaves two thirds bare).
    let covered = 0;
    for (const e of rimEdge) if (e >= Math.max(4, 0.4 * mean)) covered++;
    const third = RIM / 3;
    const sector = (k0) => rimEdge.slice(Math.round(k0), Math.round(k0 + third)).reduce((s, e) => s + e, 0) / third;
    const weakest = Math.min(sector(0), sector(third), sector(2 * third)) / Math.max(mean, 1e-6);
    // Contrast: the disc's mean colour against the floor just outside its lower rim.
    const inMean = [0, 0, 0], outMean = [0, 0, 0];
    let nIn = 0, nOut = 0;
    for (let k = 0; k < DISC.length; k++) {
      const o = 4 * (Math.round(found.cy + found.r * DISC[k][1]) * width + Math.round(found.cx + found.r * DISC[k][0]));
      for (let c = 0; c < 3; c++) inMean[c] += data[o + c];
      nIn++;
    }
    for (let k = 0; k < RIM; k += 2) {
      const x = Math.round(found.cx + 1.3 * found.r * RIM_COS[k]), y = Math.round(found.cy + 1.3 * found.r * RIM_SIN[k]);
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const o = 4 * (y * width + x);
      for (let c = 0; c < 3; c++) outMean[c] += data[o + c];
      nOut++;
    }
    const contrast = nOut ? Math.hypot(...inMean.map((v, c) => v / nIn - outMean[c] / nOut)) : 0;
    // Uniqueness: the best other circle that could be the near end disc instead, against this
    // one: at least 1.5 roller radii away and not smaller (the near end is the nearer, so the
    // larger; smaller circles higher up are the far end, a knee, a fold). The three best such
    // grid circles are refined like the best (the grid's coarseness must not flatter the best);
    // one that climbs back onto the best or shrinks does not count.
    const contender = (c) => Math.hypot(c.cx - found.cx, c.cy - found.cy) > 1.5 * r0 && c.r >= 0.9 * found.r;
    let rival = null;
    for (const c of candidates.filter(contender).sort((a, b) => b.s - a.s).slice(0, 3)) {
      const refined = refine(c);
      if (contender(refined) && (!rival || refined.s > rival.s)) rival = refined;
    }
    const cue = {
      edge: mean, coverage: covered / RIM, weakest, contrast, rival: rival ? rival.s / found.s : 0, size: found.r / r0, moved: null,
      // The rival's size and height against this one's: the near end is the larger and lower disc.
      rivalSize: rival ? rival.r / found.r : 0, rivalBelow: rival ? (rival.cy - found.cy) / found.r : 0,
    };
    const previous = options.previous;
    if (previous && Number.isFinite(previous.x) && Number.isFinite(previous.y) && previous.r > 0)
      cue.moved = Math.hypot((previous.x * width - found.cx), (previous.y * height - found.cy)) / found.r;
    return cue;
  }
}

// The confidence, 0..1, from the cues: a product of one factor per cue, each near 1 where the
// finder's tuning renders put real discs and falling off toward what their misfinds showed
// (docs/web.md, "Finding the roller in the picture", has the measurements).
export const CONFIDENCE = Object.freeze({
  rival: 0.9, rivalSoftness: 0.04, // another circle that could be the near end, scoring 90 % as well
  largerRival: [1.1, 0.8], largerRivalFactor: 0.5, // a rival 10 % larger scoring 80 % as well (the near end is the larger)
  coverage: 0.35, coverageSoftness: 0.05, // share of the lower rim with an edge
  size: [0.8, 1.6], offSize: 0.5, // radius against the body's prediction
  moved: 1, movedSoftness: 0.15, jumped: 0.4, // radii from the last sighting; the floor when it jumped
});

export function confidenceFrom(cues) {
  const k = CONFIDENCE;
  let p = logistic((k.rival - cues.rival) / k.rivalSoftness) * logistic((cues.coverage - k.coverage) / k.coverageSoftness);
  if (cues.rivalSize > k.largerRival[0] && cues.rival > k.largerRival[1]) p *= k.largerRivalFactor;
  if (cues.size < k.size[0] || cues.size > k.size[1]) p *= k.offSize;
  if (cues.moved !== null) p *= k.jumped + (1 - k.jumped) * logistic((k.moved - cues.moved) / k.movedSoftness);
  return clamp01(p);
}
