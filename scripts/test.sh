#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine, then run it:
# Debian's Chromium (for the browser tests), Ghostscript (EPS figures), a virtualenv with the project
# and its test extras, ruff (lint + format check), zizmor (the workflows' security
# audit, offline; any finding fails), mypy (types), then pytest in two passes.
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
.venv/bin/mypy  # extract/ and docs_gen/, configured in pyproject.toml; zero errors
# Two passes, so the quick loop stays quick and nothing is dropped: every test but the
# `slow` ones (what a plain `pytest` runs), then the slow ones (process races, LaTeX
# bombs); REFS_STRESS_TRIALS sets the race trials (default 6). Test paths given as
# arguments may all fall in one pass: pytest's "no tests collected" (5) is then fine.
run_pass() {
  local code=0
  .venv/bin/python -m pytest -q -p no:cacheprovider "$@" || code=$?  # -n auto: pyproject
  if [ "$code" -ne 0 ] && ! { [ "$code" -eq 5 ] && [ "$given" -gt 0 ]; }; then
    exit "$code"
  fi
}
given=$#
run_pass "$@"
run_pass -m slow "$@"
