#!/usr/bin/env bash
# Installs exactly what rollcoach's build, tests and front-end need, from Debian and npm only.
# Idempotent: packages already installed are skipped; apt-get update runs once, only if something
# is missing. Usage: scripts/install-deps.sh [--no-web]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev clang-format clang-tidy
  llvm  # llvm-symbolizer: function names and lines in the sanitizers' stack traces (fuzz, asan)
  libboost1.81-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libsqlite3-dev libsqlitecpp-dev sqlite3
  libpqxx-dev postgresql
  libsodium-dev
  libspdlog-dev libfmt-dev
  libncurses-dev
  libespeak-ng-dev espeak-ng libsndfile1-dev libpulse-dev sox
  libcairo2-dev libpango1.0-dev poppler-utils
  libical-dev
  googletest libgtest-dev libgmock-dev librapidcheck-dev libbenchmark-dev
  chromium fonts-dejavu-core
  ffmpeg  # the camera browser test turns its clips into y4m for the fake camera
  tmux python3
  python3 curl lintian dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js 20 + npm: the machine image may ship its own build (which conflicts with Debian's npm
# package); only fall back to Debian's when no node is on PATH.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-deps: run as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: Debian packages present"
fi

if [[ "${1:-}" != "--no-web" && -f "$here/web/package.json" ]]; then
  stamp="$here/web/node_modules/.install-stamp"
  if [[ ! -f "$stamp" || "$here/web/package-lock.json" -nt "$stamp" ]]; then
    echo "install-deps: npm ci in web/"
    (cd "$here/web" && npm ci --no-audit --no-fund)
    touch "$stamp"
  else
    echo "install-deps: web/node_modules up to date"
  fi
fi
