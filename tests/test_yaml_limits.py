"""Every YAML the tools read has alias and depth limits (issue 24, item 5).

The probes: an alias bomb (`l0: &a0 [x,…]` … `l9: [*a8 ×9]`, 9^10 values) and
20,000-deep nesting, in the manifest (round-trip, ruamel), in full.md, card and topic
front matter (PyYAML, and MkDocs' own read of a page) and in the mkdocs.yml `refs site
--out` reads. Each is one message naming the file, never a traceback, a MemoryError or
a RecursionError; a shared value through an alias still loads.
"""

from __future__ import annotations

import pytest
import yaml
from mkdocs_site import build, drop_broken_citation, refs_site
from ruamel.yaml import YAML

from extract import yaml_limits
from extract.errors import RefsError
from extract.full_md import FrontMatterError, parse

BOMB = "l0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
)
DEEP_FLOW = "deep: " + "[" * 20_000 + "]" * 20_000 + "\n"
DEEP_BLOCK = "".join(" " * i + "k:\n" for i in range(300)) + " " * 300 + "k: 1\n"


@pytest.mark.parametrize("text", [BOMB, DEEP_FLOW, DEEP_BLOCK], ids=["bomb", "flow", "block"])
def test_both_loaders_refuse_with_the_file_and_line(text):
    with pytest.raises(RefsError) as caught:
        yaml_limits.safe_load(text, "x.yaml")
    assert str(caught.value).startswith("x.yaml:")
    assert "alias" in str(caught.value) or "nested more than 100" in str(caught.value)
    with pytest.raises(yaml_limits.LimitExceeded):
        yaml_limits.load_round_trip(YAML(), text)


def test_the_pure_python_bound_holds_without_libyaml(monkeypatch):
    monkeypatch.setattr(yaml_limits, "_CParser", None)
    deep = "k: " + "[" * 150 + "]" * 150 + "\n"
    with pytest.raises(RefsError, match="nested more than 100"):
        yaml_limits.safe_load(deep, "x.yaml")
    with pytest.raises(yaml_limits.LimitExceeded):
        yaml_limits.load_round_trip(YAML(), deep)


def test_shared_values_and_real_nesting_still_load():
    text = "topics: &t [1, 2, 3]\na: {topics: *t}\nb: {topics: *t}\nn: " + "[" * 90 + "]" * 90
    data = yaml_limits.safe_load(text, "x.yaml")
    assert data["b"]["topics"] == [1, 2, 3]
    assert yaml_limits.load_round_trip(YAML(), text)["a"]["topics"] == [1, 2, 3]
    assert yaml_limits.load_tagless("a: !ENV X\nb: 1\n") == {"a": None, "b": 1}
    with pytest.raises(yaml.YAMLError):  # a plain syntax error is the loader's to say
        yaml_limits.safe_load("a: [1\n", "x.yaml")


@pytest.mark.parametrize("text", [BOMB, DEEP_FLOW], ids=["bomb", "deep"])
def test_a_manifest_bomb_is_one_message(make_library, run_refs, text):
    root = make_library("site")
    manifest = root / "refs/manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + text, encoding="utf-8")
    for command in (["status"], ["check"], ["sync", "--dry-run"]):
        code, out, err = run_refs(root, *command)
        said = out + err  # `refs check` reports it as a finding, on stdout
        assert code == 1, command
        assert "refs/manifest.yaml:" in said and "Traceback" not in said, said
        assert "alias" in said or "nested more than 100" in said


def test_a_full_md_bomb_is_a_front_matter_error(tmp_path):
    path = tmp_path / "full.md"
    text = "---\ntitle: t\n" + BOMB + "---\n\n# Body\n"
    with pytest.raises(FrontMatterError) as caught:
        parse(text, path)
    assert caught.value.line == 7  # l5, the alias that tips it over: file line 7


@pytest.mark.parametrize(
    "rel",
    ["sources/gamma-notes/full.md", "refs/resources/beta-blog.md", "refs/topics/01-pipelines.md"],
)
def test_front_matter_bombs_stop_both_builds_with_one_message(make_library, tmp_path, rel):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    page = root / rel
    body = page.read_text(encoding="utf-8")
    if body.startswith("---\n"):  # full.md: into its own front matter
        page.write_text("---\n" + BOMB + body[4:], encoding="utf-8")
    else:
        page.write_text("---\n" + BOMB + "---\n\n" + body, encoding="utf-8")
    plugin = build(root, tmp_path / "site")
    assert plugin.returncode == 1
    assert f"{rel}:" in plugin.stderr and "alias" in plugin.stderr, plugin.stderr
    assert "Traceback" not in plugin.stderr and "MemoryError" not in plugin.stderr
    exported = refs_site(root, "--out", str(tmp_path / "out"))
    assert exported.returncode == 1
    assert f"{rel}:" in exported.stderr and "Traceback" not in exported.stderr
    assert not (tmp_path / "out").exists()


def test_a_mkdocs_yml_bomb_stops_the_export(make_library, tmp_path):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "extra:\n  " + DEEP_FLOW, "utf-8")
    exported = refs_site(root, "--out", str(tmp_path / "out"))
    assert exported.returncode == 1
    assert "mkdocs.yml:" in exported.stderr and "nested more than 100" in exported.stderr
    assert "Traceback" not in exported.stderr


DEEP_JSON = "[" * 100_000 + "]" * 100_000


def test_json_nested_thousands_deep_is_one_message(tmp_path, make_library):
    """The library's JSON files (provenance, review records, GitHub issue dumps) too:
    a RecursionError traceback before."""
    from extract.convert.issue import _load
    from extract.full_md import read_provenance
    from extract.library import Library
    from extract.review_record import load_record, record_path

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "provenance.json").write_text(DEEP_JSON, encoding="utf-8")
    with pytest.raises(RefsError, match="cannot read provenance"):
        read_provenance(raw)
    (raw / "issue.json").write_text(DEEP_JSON, encoding="utf-8")
    with pytest.raises(RefsError, match="nested too deeply"):
        _load(raw / "issue.json", dict)
    lib = Library(make_library("agent"))
    rid = next(iter(lib.manifest.resources))
    path = record_path(lib, rid)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEEP_JSON, encoding="utf-8")
    with pytest.raises(RefsError, match="nested too deeply"):
        load_record(lib, rid)
