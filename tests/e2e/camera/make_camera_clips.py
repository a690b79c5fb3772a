#!/usr/bin/python3
# Renders the two short clips the camera browser test plays through Chromium's fake camera:
# camera_lumbar (the roller drifts past L1 onto the lumbar spine) and camera_clean (it never does).
#
#   tests/e2e/camera/make_camera_clips.py [--only NAME]
#
# It reuses the footage tool (tools/footage: the motion plan in make_footage.py, the Blender
# renderer render_clip.py) without changing it: the clips are shorter and smaller than the data
# set's (640x360, 12.5 fps, about 11 s), with a longer still start so that the page can calibrate
# ("roller just below your shoulder blades, hold still") before the body moves. Output, committed:
# tests/e2e/camera/clips/NAME.webm (VP9, small) and NAME.truth.json (per frame: contact fraction,
# level, zone). The test converts the webm to y4m with ffmpeg when it runs.
# Rendering takes seconds a frame: run it by hand (niced), never from make test.
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
FOOTAGE = os.path.join(ROOT, "tools", "footage")
sys.path.insert(0, FOOTAGE)
import make_footage  # noqa: E402

STILL_EXTRA_S = 2.0
# name, set, seed, roller, start fraction, mistakes, camera side, camera height (m), seconds of motion plan
CLIPS = [
    ("camera_lumbar", "camera", 61, "rolls", 0.42, ["lumbar"], -1, 0.30, 9),
    ("camera_clean", "camera", 62, "rolls", 0.42, [], -1, 0.30, 9),
]


def main():
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    out_dir = os.path.join(HERE, "clips")
    os.makedirs(out_dir, exist_ok=True)
    for clip in CLIPS:
        name = clip[0]
        if only and name != only:
            continue
        spec = make_footage.spec_for(clip)
        spec.update({"width": 640, "height": 360, "camera_distance_m": 2.6, "camera_shift_m": 0.0, "camera_roll_deg": 0.0, "fov_deg": 60.0})
        still = [dict(spec["frames"][0]) for _ in range(int(STILL_EXTRA_S * make_footage.FPS))]
        spec["frames"] = still + spec["frames"]
        work = tempfile.mkdtemp(prefix=f"rc-camera-clip-{name}-")
        try:
            with open(os.path.join(work, "spec.json"), "w") as fh:
                json.dump(spec, fh)
            frames = os.path.join(work, "frames")
            subprocess.run(["nice", "-n", "19", "xvfb-run", "-a", "blender", "-b", "--python", os.path.join(FOOTAGE, "render_clip.py"), "--",
                            "--asset", make_footage.ASSET, "--spec", os.path.join(work, "spec.json"), "--out", frames], check=True,
                           stdout=open(os.path.join(work, "blender.log"), "w"), stderr=subprocess.STDOUT)
            if not os.path.exists(os.path.join(frames, "truth.json")):
                sys.exit(f"{name}: Blender rendered nothing:\n" + open(os.path.join(work, "blender.log")).read()[-3000:])
            subprocess.run(["nice", "-n", "19", "ffmpeg", "-y", "-loglevel", "error", "-framerate", "25/2", "-i", os.path.join(frames, "frame_%04d.png"),
                            "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "36", "-pix_fmt", "yuv420p", "-row-mt", "1",
                            os.path.join(out_dir, f"{name}.webm")], check=True)
            with open(os.path.join(frames, "truth.json")) as fh:
                truth = json.load(fh)
            slim = {"meta": {k: truth["meta"][k] for k in ("fps", "width", "height", "seed", "mistakes", "roller", "body_height_m", "c7_psis_m")},
                    "frames": [{k: f[k] for k in ("t", "contact_frac_c7_psis", "level", "zone")} for f in truth["frames"]]}
            with open(os.path.join(out_dir, f"{name}.truth.json"), "w") as fh:
                json.dump(slim, fh, indent=0)
            print(f"{name}: {len(spec['frames'])} frames", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
