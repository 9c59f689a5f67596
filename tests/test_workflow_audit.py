"""The publishing workflow stays clean: zizmor finds nothing, every action is pinned.

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
    assert len(uses) == 4
    assert [line for line in uses if not PINNED.match(line)] == []


def test_only_the_deploy_job_may_write_pages_or_mint_a_token():
    text = (WORKFLOWS / "pages.yml").read_text(encoding="utf-8")
    assert "\npermissions: {}\n" in text
    deploy = text[text.index("\n  deploy:") :]
    build = text[text.index("\n  build:") : text.index("\n  deploy:")]
    for grant in ("pages: write", "id-token: write"):
        assert text.count(grant) == 1 and grant in deploy and grant not in build
    assert "persist-credentials: false" in build
