"""check_cache.py: the findings `refs mcp` keeps between `check` calls are reused only
while the files they depend on keep their (mtime, size), never for a file edited
within the racy window, and always equal what a fresh `refs check` finds."""

from __future__ import annotations

import os
import time

import yaml

from extract.check_cache import KeptFindings, fingerprint
from extract.library import Library
from extract.views import check_view

CARD = "refs/resources/beta-scheduler.md"
FULL = "sources/beta-scheduler/full.md"
BROKEN = ("citation", CARD, 20)  # cites #trade-offs, which beta's full.md lacks


def found(view: dict) -> set[tuple[str, str, int]]:
    return {(f["rule"], f["path"], f["line"]) for f in view["findings"]}


def set_time(path, then: float) -> None:
    os.utime(path, (then, then))


def aged(make_library):
    root = make_library("agent")
    then = time.time() - 3600
    for path in [root, *root.rglob("*")]:
        set_time(path, then)
    return root


def same_size_fix(root) -> None:
    """Give beta's full.md the `## Trade-offs` heading its card cites, in place of
    `## Takeaways` and the blank line before it: the same size, so only mtime tells."""
    full = root / FULL
    text = full.read_text(encoding="utf-8")
    full.write_text(text.replace("\n## Takeaways\n", "## Trade-offs\n"), "utf-8")
    assert full.stat().st_size == len(text.encode())


def test_kept_findings_equal_a_fresh_check(make_library):
    root = aged(make_library)
    lib, kept = Library(root), KeptFindings()
    fresh = check_view(lib)
    assert fresh["findings"]
    assert check_view(lib, kept=kept) == fresh
    assert check_view(lib, kept=kept) == fresh  # from the kept findings
    assert check_view(lib, "beta-scheduler", kept=kept) == check_view(lib, "beta-scheduler")
    assert check_view(lib, errors_only=True, kept=kept) == check_view(lib, errors_only=True)


def test_the_fingerprint_decides_when_a_rule_runs_again(make_library):
    root = aged(make_library)
    lib, kept = Library(root), KeptFindings()
    assert BROKEN in found(check_view(lib, kept=kept))
    before = (root / FULL).stat().st_mtime_ns
    same_size_fix(root)
    os.utime(root / FULL, ns=(before, before))
    # Same (path, mtime, size): the kept finding stands (this is what makes it fast)...
    assert BROKEN in found(check_view(lib, kept=kept))
    assert BROKEN not in found(check_view(lib))
    # ...and a new mtime alone is enough to run the card's rules again.
    set_time(root / FULL, time.time() - 3000)
    assert found(check_view(lib, kept=kept)) == found(check_view(lib))
    assert BROKEN not in found(check_view(lib, kept=kept))


def test_a_file_edited_just_now_is_never_kept(make_library):
    root = aged(make_library)
    lib, kept = Library(root), KeptFindings()
    full = root / FULL
    full.write_text(full.read_text(encoding="utf-8"), "utf-8")  # a fresh mtime
    assert BROKEN in found(check_view(lib, kept=kept))
    stamp = full.stat().st_mtime_ns
    same_size_fix(root)
    # A second edit within the same timestamp tick: nothing in its stat changed.
    os.utime(full, ns=(stamp, stamp))
    assert BROKEN not in found(check_view(lib, kept=kept))


def test_a_fingerprint_covers_a_folder_whole(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/x.md").write_text("one", "utf-8")
    first = fingerprint(tmp_path, "a")
    assert [e[0] for e in first] == ["a", "a/x.md"]
    (tmp_path / "a/y.md").write_text("two", "utf-8")
    assert [e[0] for e in fingerprint(tmp_path, "a")] == ["a", "a/x.md", "a/y.md"]
    assert fingerprint(tmp_path, "missing") == (("missing", None, None),)


def test_a_resource_removed_from_the_manifest_takes_its_kept_findings_along(make_library):
    root = aged(make_library)
    kept = KeptFindings()
    check_view(Library(root), kept=kept)
    assert "beta-scheduler" in kept.kept_ids()
    manifest = root / "refs/manifest.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["resources"] = [r for r in data["resources"] if r["id"] != "beta-scheduler"]
    manifest.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")
    lib = Library(root)
    assert check_view(lib, kept=kept) == check_view(lib)
    assert "beta-scheduler" not in kept.kept_ids()
    assert kept.kept_ids() <= set(lib.ids)
