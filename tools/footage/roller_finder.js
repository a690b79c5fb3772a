// Finds a foam roller's end disc in one picture of a person lying on it, seen from the side: the
// image cue the pose model lacks (it has no landmark for the roller). Plain pixel arithmetic that
// any browser page can run on a canvas's ImageData, with no model:
//
//   const found = findRoller(imageData.data, width, height, landmarks);  // MediaPipe's 33, normalized
//   // -> { x, y, r, score } (x across and y down as a share of width and height, r as a share of
//   //    the height) or null
//
// The roller lies under the back between the hips and the shoulders, below the shoulder-hip
// line, and is about 0.3 shoulder-hip lengths across (15 cm against about 50 cm). The search
// scores circles there by how strongly the picture changes across their rim (lower three
// quarters: the top touches the back) and how even their inside is.
(function (root) {
  const SHOULDERS = [11, 12];
  const HIPS = [23, 24];

  function mid(landmarks, ids, width, height) {
    const pts = ids.map((i) => landmarks[i]).filter((p) => p && Number.isFinite(p[0]) && Number.isFinite(p[1]));
    if (pts.length === 0) return null;
    return [pts.reduce((s, p) => s + p[0], 0) / pts.length * width, pts.reduce((s, p) => s + p[1], 0) / pts.length * height];
  }

  function findRoller(data, width, height, landmarks) {
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

    // Luminance and a colour gradient (sum over channels) over the search box.
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
    const px = (x, y, c) => data[4 * (y * width + x) + c];
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        let sx = 0, sy = 0;
        for (let c = 0; c < 3; c++) {
          const dx = (px(x + 1, y - 1, c) + 2 * px(x + 1, y, c) + px(x + 1, y + 1, c)) - (px(x - 1, y - 1, c) + 2 * px(x - 1, y, c) + px(x - 1, y + 1, c));
          const dy = (px(x - 1, y + 1, c) + 2 * px(x, y + 1, c) + px(x + 1, y + 1, c)) - (px(x - 1, y - 1, c) + 2 * px(x, y - 1, c) + px(x + 1, y - 1, c));
          // Keep the sign of the strongest channel so that the radial component is meaningful.
          if (Math.abs(dx) > Math.abs(sx)) sx = dx;
          if (Math.abs(dy) > Math.abs(sy)) sy = dy;
        }
        gx[(y - y0) * w + (x - x0)] = sx / 8;
        gy[(y - y0) * w + (x - x0)] = sy / 8;
      }
    }
    const inside = (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
    const RIM = 40, DISC = [[0, 0], [0.35, 0], [-0.35, 0], [0, 0.35], [0, -0.35], [0.25, 0.25], [-0.25, 0.25], [0.25, -0.25], [-0.25, -0.25], [0.6, 0], [-0.6, 0], [0, 0.6], [0, -0.6]];
    const rim = [];
    // The lower three quarters of the rim (angles measured with y down): the top meets the back.
    for (let k = 0; k < RIM; k++) {
      const a = (-45 + (270 * k) / (RIM - 1)) * Math.PI / 180;
      rim.push([Math.cos(a), Math.sin(a)]);
    }
    function score(cx, cy, r) {
      let edge = 0, n = 0;
      for (const [c, s] of rim) {
        const x = Math.round(cx + r * c), y = Math.round(cy + r * s);
        if (!inside(x, y)) return -1;
        const i = (y - y0) * w + (x - x0);
        edge += Math.abs(gx[i] * c + gy[i] * s);
        n++;
      }
      let m = [0, 0, 0], m2 = 0;
      const cols = [];
      for (const [a, b] of DISC) {
        const x = Math.round(cx + r * a), y = Math.round(cy + r * b);
        const col = [px(x, y, 0), px(x, y, 1), px(x, y, 2)];
        cols.push(col);
        for (let c = 0; c < 3; c++) m[c] += col[c] / DISC.length;
      }
      for (const col of cols) m2 += Math.hypot(col[0] - m[0], col[1] - m[1], col[2] - m[2]) / DISC.length;
      return edge / n - 1.0 * m2;
    }
    let best = null;
    const step = Math.max(1, r0 / 5);
    for (let a = along[0] * L; a <= along[1] * L; a += step) {
      for (let b = across[0] * L; b <= across[1] * L; b += step) {
        const cx = P[0] + a * ux + b * nx, cy = P[1] + a * uy + b * ny;
        for (const f of [0.9, 1.05, 1.2, 1.35, 1.5]) {
          const s = score(cx, cy, f * r0);
          if (s > 0 && (!best || s > best.s)) best = { cx, cy, r: f * r0, s };
        }
      }
    }
    if (!best) return null;
    // Refine around the best circle at one-pixel steps.
    for (let pass = 0; pass < 2; pass++) {
      const d = pass === 0 ? step / 2 : 1;
      let improved = true;
      while (improved) {
        improved = false;
        for (const [ddx, ddy, dr] of [[d, 0, 0], [-d, 0, 0], [0, d, 0], [0, -d, 0], [0, 0, d], [0, 0, -d]]) {
          const s = score(best.cx + ddx, best.cy + ddy, best.r + dr);
          if (s > best.s) { best = { cx: best.cx + ddx, cy: best.cy + ddy, r: best.r + dr, s }; improved = true; }
        }
      }
    }
    return { x: best.cx / width, y: best.cy / height, r: best.r / height, score: best.s };
  }

  root.findRoller = findRoller;
  if (typeof module !== 'undefined') module.exports = { findRoller };
})(typeof window !== 'undefined' ? window : globalThis);
