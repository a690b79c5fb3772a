#!/usr/bin/env python3
"""How well the roller sightings measure the still start, read as absolute positions.

The analyser reads every roller sighting relative to the start (it learns a constant offset while
the body lies still) because, read absolutely, the sightings are biased per camera. This script
measures that bias on rendered clips: for each thoracic-roll clip with sightings, the median over
the calibrated still start (0.8-2.0 s) of (the sighting's absolute contact - the true contact),
in cm, and compares it with the camera's placement and with the spread of the starts themselves.
If the bias were small against the starts' spread, the sightings could measure the start.

    python3 tools/footage/start_bias.py build/ci/tests/unit/motion/motion_footage_report \
        tests/data/footage/tuning tests/data/footage/heldout_sealed*

Measurement only: it tunes nothing. Standard library only.
"""
import glob
import json
import os
import re
import statistics
import subprocess
import sys


def clip_bias(report, folder, name):
    """Median (absolute sighting - truth) over the calibrated still start, as a share of C7-PSIS."""
    out = subprocess.run([report, folder, "lite", "sightings", "dump=" + name], capture_output=True, text=True, check=True).stdout
    values = []
    for line in out.splitlines():
        fields = line.split()
        t, truth, estimate = float(fields[0]), float(fields[2]), float(fields[4])
        seen = re.search(r"roller\s+([0-9.]+)", line)
        if t > 2.0:
            break
        if estimate >= 0 and seen:
            values.append(float(seen.group(1)) - truth)
    return values


# Left/right keypoint pairs: shoulders, hips, knees, ankles, ears, elbows.
PAIRS = [(11, 12), (23, 24), (25, 26), (27, 28), (7, 8), (13, 14)]


def keypoint_yaw(folder, name):
    """A yaw estimate from the pose model's left/right pairs over the still start.

    A pair across the body (near and far shoulder, the nearer by the model's z) lies along the
    camera-facing direction, so in the picture the near point sits further than the far one from
    that direction's vanishing point; the pairs' separation against their place along the picture
    crosses zero there. Returns the separation at the picture's centre (the fitted line's
    intercept), whose sign and size follow the yaw if the far-side keypoints are placed well."""
    xs, ds = [], []
    for line in open(os.path.join(folder, name + ".lite.jsonl")):
        frame = json.loads(line)
        if not 0.8 <= frame["t"] <= 2.0 or not frame.get("landmarks"):
            continue
        points, aspect = frame["landmarks"], frame["aspect"]
        for a, b in PAIRS:
            near, far = (points[a], points[b]) if points[a][2] < points[b][2] else (points[b], points[a])
            xs.append(((near[0] + far[0]) / 2 - 0.5) * aspect)
            ds.append((near[0] - far[0]) * aspect)
    return fit_line(xs, ds)[0] if len(xs) >= 10 else None


def fit_line(xs, ys):
    """Least-squares y = a + b x; returns a, b and the residuals' standard deviation."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    a = my - b * mx
    return a, b, statistics.pstdev([y - a - b * x for x, y in zip(xs, ys)])


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: start_bias.py MOTION_FOOTAGE_REPORT FOLDER...")
    report = sys.argv[1]
    rows = []
    for folder in sys.argv[2:]:
        for path in sorted(glob.glob(os.path.join(folder, "*.truth.json"))):
            name = os.path.basename(path)[: -len(".truth.json")]
            meta = json.load(open(path))["meta"]
            if meta.get("exercise") != "thoracic_roll" or not os.path.exists(os.path.join(folder, name + ".roller.jsonl")):
                continue
            values = clip_bias(report, folder, name)
            if len(values) < 6:  # too few sightings of the still start to say anything
                continue
            c7_psis_cm = meta["c7_psis_m"] * 100
            bias = statistics.median(values) * c7_psis_cm
            start_dev = (meta["start_fraction"] - 0.43) * c7_psis_cm
            yaw = meta["camera_shift_m"] / meta["camera_distance_m"]
            rows.append((bias, start_dev, yaw, keypoint_yaw(folder, name), meta["camera_side"]))
            print(f"{os.path.basename(folder):16} {name:18} start {meta['start_fraction']:.2f} camera {meta['camera_height_m'] * 100:3.0f} cm high, "
                  f"shifted {meta['camera_shift_m']:+.2f} m at {meta['camera_distance_m']:.2f} m: bias {bias:+5.1f} cm (start {start_dev:+4.1f} cm)")
    biases = [r[0] for r in rows]
    starts = [r[1] for r in rows]
    yaws = [r[2] for r in rows]
    print(f"\n{len(rows)} clips")
    print(f"absolute sighting bias: median {statistics.median(biases):+.1f} cm, SD {statistics.pstdev(biases):.1f} cm")
    print(f"the starts' own spread (true start - 0.43): SD {statistics.pstdev(starts):.1f} cm")
    print(f"correlation of the bias with the camera's shift along the body / distance: {statistics.correlation(yaws, biases):+.2f}")
    print(f"correlation of the bias with the start itself: {statistics.correlation(starts, biases):+.2f}")
    seen = [(r[2] * r[4], r[3]) for r in rows if r[3] is not None]
    print(f"correlation of the keypoints' yaw estimate with the true yaw (shift / distance, per side): "
          f"{statistics.correlation([y for y, _ in seen], [k for _, k in seen]):+.2f} ({len(seen)} clips)")
    a, b, residual = fit_line(yaws, biases)
    print(f"bias = {a:+.1f} cm {b:+.1f} cm x (shift / distance); residual SD {residual:.1f} cm")
    # With the yaw known exactly, the best blend of the sighting (error SD `residual`) with the
    # assumed start (error SD of the starts' spread) still leaves this much of the start unknown.
    s = statistics.pstdev(starts)
    print(f"start error if the yaw were known and the two blended: SD {(s * s * residual * residual / (s * s + residual * residual)) ** 0.5:.1f} cm "
          f"(assumed start alone: {s:.1f} cm)")


if __name__ == "__main__":
    main()
