"""The workflows stay clean: zizmor finds nothing, every action is pinned, the tests
run on every push and pull request, and nothing deploys unless they pass.

scripts/test.sh runs the same audit before the tests; this keeps `pytest` alone honest.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s+[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def test_zizmor_finds_nothing_in_the_workflows():
    zizmor = Path(sys.executable).with_name("zizmor")
    assert zizmor.exists(), "zizmor is in the test extra: pip install -e '.[test]'"
    r = subprocess.run(
        [str(zizmor), "--offline", str(WORKFLOWS)], capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version_in_a_comment():
    uses = [
        line
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s*(?:-\s+)?uses:", line)
    ]
    # A workflow of this repository (`$/`: this repository at the running commit) needs
    # no pin; every other `uses:` names a commit.
    own = [line for line in uses if re.match(r"^\s*uses: \$/\.github/workflows/\w+\.yml ", line)]
    assert len(own) == 1
    assert len(uses) == 8
    assert [line for line in uses if line not in own and not PINNED.match(line)] == []
    # The same action is pinned to the same commit everywhere.
    pins = {}
    for line in uses:
        if line not in own:
            action, _, rest = line.split("uses:")[1].strip().partition("@")
            pins.setdefault(action, set()).add(rest)
    assert all(len(commits) == 1 for commits in pins.values()), pins


def test_the_tests_run_on_every_push_and_pull_request_with_read_only_rights():
    text = (WORKFLOWS / "tests.yml").read_text(encoding="utf-8")
    on = text[text.index("\non:") : text.index("\npermissions:")]
    assert "\n  push:" in on and "\n  pull_request:" in on and "\n  workflow_call:" in on
    assert "\npermissions: {}\n" in text
    assert text.count("permissions:") == 2 and "      contents: read\n" in text
    assert "persist-credentials: false" in text
    # The README's test command, nothing less.
    assert "run: bash scripts/test.sh\n" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\nbash scripts/test.sh\n" in readme


def test_pages_deploys_only_after_the_tests_pass():
    text = (WORKFLOWS / "pages.yml").read_text(encoding="utf-8")
    tests = text[text.index("\n  tests:") : text.index("\n  build:")]
    build = text[text.index("\n  build:") : text.index("\n  deploy:")]
    deploy = text[text.index("\n  deploy:") :]
    assert "uses: $/.github/workflows/tests.yml" in tests
    assert "      contents: read" in tests and "write" not in tests
    assert "\n    needs: tests\n" in build
    assert "\n    needs: build\n" in deploy


def test_only_the_deploy_job_may_write_pages_or_mint_a_token():
    text = (WORKFLOWS / "pages.yml").read_text(encoding="utf-8")
    assert "\npermissions: {}\n" in text
    deploy = text[text.index("\n  deploy:") :]
    build = text[text.index("\n  build:") : text.index("\n  deploy:")]
    for grant in ("pages: write", "id-token: write"):
        assert text.count(grant) == 1 and grant in deploy and grant not in build
    assert "persist-credentials: false" in build


def test_the_pages_build_keeps_the_plugins_caches_of_main_only():
    """The deploy's build restores `.refs-cache/` from the last build of main (caches are
    scoped to the branch that wrote them), before building; the key holds nothing a
    pull request or a branch name could set."""
    text = (WORKFLOWS / "pages.yml").read_text(encoding="utf-8")
    build = text[text.index("\n  build:") : text.index("\n  deploy:")]
    step = build[build.index("actions/cache@") :]
    step = step[: step.index("\n      - ")]
    assert "path: .refs-cache\n" in step
    assert "key: refs-cache-${{ github.sha }}\n" in step
    assert "restore-keys: refs-cache-" in step
    assert build.index("actions/cache@") < build.index("mkdocs build --strict")
    assert "\n    branches: [main]\n" in text[: text.index("\njobs:")]
    assert "actions/cache@" not in (WORKFLOWS / "tests.yml").read_text(encoding="utf-8")
