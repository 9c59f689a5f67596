"""Library errors inside `mkdocs build` (issue 12, items 10 and 12).

A bad manifest, a bad curriculum or a library file that is not UTF-8 stop the build
with the file:line message `refs check` prints, not a traceback; under `--strict` a
broken citation fails the build even with `-q` (MkDocs counts only logged warnings).
"""

from __future__ import annotations

import subprocess

import pytest
from mkdocs_site import build, run_mkdocs


def quiet_strict(root, site) -> subprocess.CompletedProcess:
    args = ["build", "-q", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    return run_mkdocs(args, cwd=root)


def _break_manifest(root):
    path = root / "refs/manifest.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - id: [unclosed\n", encoding="utf-8")
    return "refs/manifest.yaml"


def _break_curriculum(root):
    path = root / "distributed_video_dit_inference.md"
    path.write_bytes(path.read_bytes() + b"\n- **Bad \xff bytes** in an entry\n")
    return "distributed_video_dit_inference.md"


def _break_card(root):
    path = root / "refs/resources/alpha-paper.md"
    path.write_bytes(path.read_bytes().replace(b"## Why it matters", b"## Why it \xfe matters", 1))
    return "refs/resources/alpha-paper.md"


def _break_full_md(root):
    path = root / "sources/beta-blog/full.md"
    path.write_bytes(path.read_bytes() + b"\n\xc3\x28 invalid\n")
    return "sources/beta-blog/full.md"


@pytest.mark.parametrize(
    "breaker", [_break_manifest, _break_curriculum, _break_card, _break_full_md]
)
def test_a_library_error_stops_the_build_with_refs_checks_message(
    make_library, refs_cli, tmp_path, breaker
):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    rel = breaker(root)
    result = build(root, tmp_path / "site", strict=False)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in out and "UnicodeDecodeError" not in out
    errors = [line for line in out.splitlines() if "refs-library:" in line]
    assert len(errors) == 1, out
    assert rel in errors[0]
    # The same file and line as `refs check` names.
    where = errors[0].split("refs-library: ", 1)[1].split(": ", 1)[0]
    assert where.startswith(rel) and where.count(":") <= 1
    checked = refs_cli(root, "check")
    said = checked.stdout + checked.stderr
    assert checked.returncode == 1 and (where in said or f"{root}/{where}" in said), said


def test_quiet_strict_build_fails_on_a_broken_citation(make_library, tmp_path):
    # as shipped: one broken citation (beta-blog claim 3)
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    result = quiet_strict(root, tmp_path / "site")
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "1 broken citation(s) in strict mode" in out
    assert "refs/resources/beta-blog.md: claim 3" in out and "no-such-heading" in out
    assert "Traceback" not in out


def test_quiet_strict_build_passes_when_every_citation_resolves(make_library, tmp_path):
    from mkdocs_site import drop_broken_citation

    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    result = quiet_strict(root, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_citation_is_only_a_warning_without_strict(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    result = build(root, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    assert "broken citation" in result.stderr
