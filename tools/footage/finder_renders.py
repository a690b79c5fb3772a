#!/usr/bin/python3
# Renders the roller finder's own tuning and check clips: frames only (every third, 480x270, as the
# camera page looks), with the renderer's truth, plus lite landmarks and the finder's sightings.
# Nothing goes under tests/data: these clips exist to set and check the finder's confidence
# (docs/web.md, "Finding the roller in the picture"), never to tune or score the analyser.
#
#   tools/footage/finder_renders.py OUT_DIR [NAME ...]
#
# Then: node tools/footage/roller_accuracy.mjs tuning=OUT_DIR/finder_t1:OUT_DIR/finder_t1.roller.jsonl ...
# Each clip takes 4-15 minutes to render on a shared 2-core machine (Blender at nice 19).
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_footage  # noqa: E402  (its clip planner and spec; its CLIPS list is not touched)

# name, set, seed, roller, start fraction, mistakes, camera side, camera height (m), seconds.
# finder_t1 and finder_t2 (low cameras, where the finder misfinds) tuned the confidence;
# finder_t3 and finder_t4 were looked at only after it was fixed.
CLIPS = [
    ("finder_t1", "finder-tuning", 61, "slips", 0.44, ["lumbar"], 1, 0.08, 10),
    ("finder_t2", "finder-tuning", 62, "rolls", 0.41, ["lumbar"], -1, 0.12, 10),
    ("finder_t3", "finder-check", 63, "slips", 0.46, ["lumbar", "replant"], -1, 0.45, 10),
    ("finder_t4", "finder-check", 64, "rolls", 0.40, ["neck"], 1, 0.20, 10),
]
STRIDE = 3


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: finder_renders.py OUT_DIR [NAME ...]")
    out_dir, only = sys.argv[1], set(sys.argv[2:])
    make_footage.require("blender", "install it with: apt-get install blender")
    make_footage.require("xvfb-run", "install it with: apt-get install xvfb xauth")
    if not os.path.exists(make_footage.ASSET):
        sys.exit(f"finder renders: the MakeHuman body {make_footage.ASSET} is missing; apt-get install assimp-testmodels")
    for clip in CLIPS:
        name = clip[0]
        if only and name not in only:
            continue
        spec = make_footage.spec_for(clip)
        spec["render_stride"] = STRIDE
        spec["width"], spec["height"] = 480, 270
        work = tempfile.mkdtemp(prefix=f"rc-finder-{name}-")
        try:
            with open(os.path.join(work, "spec.json"), "w") as fh:
                json.dump(spec, fh)
            frames = os.path.join(work, "frames")
            # Blender's own exit code hides a Python error: the truth file says whether it finished.
            subprocess.run(["nice", "-n", "19", "xvfb-run", "-a", "blender", "-b", "--python", os.path.join(HERE, "render_clip.py"), "--",
                            "--asset", make_footage.ASSET, "--spec", os.path.join(work, "spec.json"), "--out", frames],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
            if not os.path.exists(os.path.join(frames, "truth.json")):
                sys.exit(f"finder renders: Blender failed on {name}")
            fps = make_footage.FPS
            landmarks = os.path.join(work, f"{name}.lite.jsonl")
            # Frames are every third one: the pose model's clock runs at fps / STRIDE so that each
            # landmark line's t is its frame's own time.
            subprocess.run(["node", os.path.join(HERE, "pose_landmarks.mjs"), frames, str(fps / STRIDE), "lite", landmarks], check=True)
            sightings = os.path.join(work, f"{name}.roller.jsonl")
            subprocess.run(["node", os.path.join(HERE, "roller_sightings.mjs"), frames, landmarks, str(fps), sightings], check=True)
            dest = os.path.join(out_dir, name)
            shutil.rmtree(dest, ignore_errors=True)
            os.makedirs(out_dir, exist_ok=True)
            shutil.move(frames, dest)
            for f in (landmarks, sightings):
                shutil.move(f, os.path.join(out_dir, os.path.basename(f)))
            print(f"{name}: frames in {dest}", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
