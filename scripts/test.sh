#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine, then run it:
# Debian's Chromium (for the browser tests), Ghostscript (EPS figures), a virtualenv with the project
# and its test extras, ruff (lint + format check), zizmor (the workflows' security
# audit, offline; any finding fails), then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v gs >/dev/null 2>&1 || need+=(ghostscript)  # EPS figures of e-prints on the site
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/zizmor --offline .github/workflows/
.venv/bin/python -m pytest -n 2 -q -p no:cacheprovider "$@"
