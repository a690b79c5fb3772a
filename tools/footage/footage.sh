#!/usr/bin/env bash
# make footage: installs what the footage tool needs when it is missing (Debian packages as root,
# the pose model from npm), then renders and labels the clips (tools/footage/make_footage.py).
# Not part of make test: rendering takes seconds a frame.
set -euo pipefail
cd "$(dirname "$0")"
missing=()
command -v blender >/dev/null || missing+=(blender)
command -v xvfb-run >/dev/null || missing+=(xvfb xauth)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
[ -f /usr/share/assimp/models/Collada/human.zae ] || missing+=(assimp-testmodels)
/usr/bin/python3 -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "make footage: missing Debian packages: ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    apt-get install -y --no-install-recommends "${missing[@]}" || { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; }
fi
[ -f node_modules/@mediapipe/pose/pose.js ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund
exec /usr/bin/python3 make_footage.py "$@"
