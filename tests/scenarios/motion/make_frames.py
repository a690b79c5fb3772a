#!/usr/bin/env python3
"""Writes the hand-specified landmark files of the motion scenarios (frames.jsonl per folder).

Each case below is a short script of keyframes for a 175 cm body on a 15 cm roller, seen from
the side by an idealised camera (the image spans 300 cm). It is independent of the C++
simulator on purpose: the scenarios check the analyser against geometry written out by hand.
Run it from anywhere: python3 tests/scenarios/motion/make_frames.py
"""
import json, math, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
ASPECT = 16 / 9
SPAN = 300.0
R = 7.5
C7_PSIS = 50.9 * 175 / 174
C7_HIP = 60.3 * 175 / 174.1
SH_HIP = 51.0
DEPTH = 9.6
NAMES = ["nose", "l_eye_in", "l_eye", "l_eye_out", "r_eye_in", "r_eye", "r_eye_out", "l_ear", "r_ear",
         "mouth_l", "mouth_r", "l_sh", "r_sh", "l_el", "r_el", "l_wr", "r_wr", "l_pinky", "r_pinky",
         "l_index", "r_index", "l_thumb", "r_thumb", "l_hip", "r_hip", "l_knee", "r_knee", "l_ankle",
         "r_ankle", "l_heel", "r_heel", "l_toe", "r_toe"]


def supine(s_frac, s0_frac, lift, hands, ankle_x):
    s, s0 = s_frac * C7_PSIS, s0_frac * C7_PSIS
    th = 0.3
    for _ in range(30):
        th = math.asin(max(-0.9, min(0.9, (R * (1 + math.cos(th)) - lift) / max(C7_HIP - s, 5))))
    a = (math.cos(th), math.sin(th))
    n = (math.sin(th), -math.cos(th))
    m = (-n[0], -n[1])
    centre = (s - s0, R)
    touch = (centre[0] - R * n[0], centre[1] - R * n[1])
    def back(u, up=0.0, along=0.0):
        return (touch[0] + a[0] * (s - u + along) + m[0] * up, touch[1] + a[1] * (s - u + along) + m[1] * up)
    p = {}
    sh = back(C7_HIP - SH_HIP, DEPTH)
    hip = back(C7_HIP, DEPTH)
    p["sh"], p["hip"] = sh, hip
    p["ear"] = back(0, 7, 11)
    p["nose"] = back(0, 17, 13)
    p["eye"] = back(0, 13, 15)
    p["mouth"] = back(0, 15, 9.5)
    if hands == "head":
        p["wr"] = back(0, -2, 11)
        p["el"] = back(0, 25, -2)
    else:
        p["wr"] = back(C7_HIP - SH_HIP + 18, DEPTH + 6)
        p["el"] = back(C7_HIP - SH_HIP + 8, DEPTH + 22)
    for k, d in (("pinky", 7), ("index", 8), ("thumb", 4)):
        p[k] = (p["wr"][0] + (p["wr"][0] - p["el"][0]) * 0.3, p["wr"][1] + (p["wr"][1] - p["el"][1]) * 0.3)
    ankle = (ankle_x, 7.7)
    p["ankle"] = ankle
    dx, dy = hip[0] - ankle[0], hip[1] - ankle[1]
    dist = math.hypot(dx, dy)
    h = math.sqrt(max(0, 45 ** 2 - (dist / 2) ** 2))
    p["knee"] = ((hip[0] + ankle[0]) / 2 - dy / dist * h * -1, (hip[1] + ankle[1]) / 2 + dx / dist * h)
    if p["knee"][1] < hip[1]:
        p["knee"] = ((hip[0] + ankle[0]) / 2 + dy / dist * h * -1, (hip[1] + ankle[1]) / 2 - dx / dist * h)
    p["heel"] = (ankle[0] + 4, 0.5)
    p["toe"] = (ankle[0] - 19, 0.8)
    return p


def landmarks(p, shift, rng, coco=False, cut_feet=False):
    slot = {"nose": "nose", "l_eye_in": "eye", "l_eye": "eye", "l_eye_out": "eye", "r_eye_in": "eye",
            "r_eye": "eye", "r_eye_out": "eye", "l_ear": "ear", "r_ear": "ear", "mouth_l": "mouth",
            "mouth_r": "mouth", "l_sh": "sh", "r_sh": "sh", "l_el": "el", "r_el": "el", "l_wr": "wr",
            "r_wr": "wr", "l_pinky": "pinky", "r_pinky": "pinky", "l_index": "index", "r_index": "index",
            "l_thumb": "thumb", "r_thumb": "thumb", "l_hip": "hip", "r_hip": "hip", "l_knee": "knee",
            "r_knee": "knee", "l_ankle": "ankle", "r_ankle": "ankle", "l_heel": "heel", "r_heel": "heel",
            "l_toe": "toe", "r_toe": "toe"}
    out = []
    for name in NAMES:
        x, y = p[slot[name]]
        x += rng.gauss(0, 0.4)
        y += rng.gauss(0, 0.4)
        nx = 0.55 + (x + shift) / SPAN
        ny = 0.75 - y / SPAN * ASPECT
        z = -0.05 if name.startswith("l_") else 0.05
        out.append([round(nx, 5), round(ny, 5), z, 0.97 if name.startswith("l_") or "_" not in name else 0.9])
    if coco:
        order = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]
        return [out[i] for i in order]
    return out


def lerp_path(keys, t):
    """keys: [(time, value)], eased linearly between."""
    if t <= keys[0][0]:
        return keys[0][1]
    for (t0, v0), (t1, v1) in zip(keys, keys[1:]):
        if t <= t1:
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return keys[-1][1]


def write_case(name, keys, duration, lift=6.0, hands=lambda t: "head", coco=False, cut=lambda t: False, fps=15):
    rng = random.Random(name)
    s0 = keys[0][1]
    ankle_x = supine(s0, s0, lift, "head", 0)["hip"][0] - 62
    folder = os.path.join(HERE, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "frames.jsonl"), "w") as f:
        for i in range(int(duration * fps)):
            t = i / fps
            p = supine(lerp_path(keys, t), s0, lift, hands(t), ankle_x)
            shift = 140 if cut(t) else 0
            line = {"t": round(t, 4), "aspect": round(ASPECT, 4), "landmarks": landmarks(p, shift, rng, coco)}
            if coco:
                line["keypoints"] = "coco17"
            f.write(json.dumps(line, separators=(",", ":")) + "\n")


def passes(start, low, high, seconds, duration, setup=2.0):
    keys, t, v, up = [(0, start), (setup, start)], setup, start, True
    while t < duration:
        target = low if up else high
        t += seconds * abs(target - v) / (high - low)
        keys.append((t, target))
        v, up = target, not up
    return keys


if __name__ == "__main__":
    write_case("clean_thoracic_roll", passes(0.43, 0.15, 0.60, 3.0, 24), 24)
    write_case("lumbar_drift", [(0, 0.43), (2, 0.43), (5, 0.15), (10, 0.80), (13, 0.80), (16, 0.40)], 17)
    write_case("rolls_into_neck", [(0, 0.43), (2, 0.43), (6, -0.04), (8, -0.04), (11, 0.35)], 12)
    write_case("too_fast", passes(0.43, 0.15, 0.60, 0.8, 10), 10)
    write_case("hold_good", [(0, 0.43), (2, 0.43), (4, 0.33), (28, 0.33), (30, 0.5)], 30)
    write_case("hold_too_long", [(0, 0.43), (2, 0.43), (4, 0.33), (40, 0.33)], 40)
    write_case("hands_off_head", passes(0.43, 0.15, 0.60, 3.0, 14), 14, hands=lambda t: "chest" if t > 4 else "head")
    write_case("hips_down", passes(0.43, 0.20, 0.55, 3.0, 14), 14, lift=0.0)
    write_case("out_of_frame", passes(0.43, 0.15, 0.60, 3.0, 14), 14, cut=lambda t: 5 < t < 11)
    write_case("coco17_lumbar_drift", [(0, 0.43), (2, 0.43), (5, 0.15), (10, 0.80), (13, 0.80)], 14, lift=0.0, coco=True)
