"""The theme folder MkDocs lists on every build, without its hidden folders
(docs_gen/theme_mirror.py): the same templates and static files, fewer files listed."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from docs_gen import theme_mirror
from docs_gen.plugin import TEMPLATES

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def theme(folder: Path) -> Path:
    files = {
        "main.html": "<main>{% include '.icons/set/a.svg' %}</main>",
        "assets/app.js": "js",
        "partials/p.html": "p",
        ".icons/set/a.svg": "<svg>a</svg>",
        ".icons/set/b.svg": "<svg>b</svg>",
        ".cache/x": "x",
    }
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def test_the_mirror_lists_no_hidden_file_and_still_includes_from_them(tmp_path):
    folder = theme(tmp_path / "theme")
    root = tmp_path / "lib"
    root.mkdir()
    mirror = theme_mirror.mirrored(root, str(folder))
    assert Path(mirror).is_relative_to(root / ".refs-cache" / "theme")
    listed = jinja2.FileSystemLoader(mirror).list_templates()
    assert listed == ["assets/app.js", "main.html", "partials/p.html"]
    assert len(jinja2.FileSystemLoader(str(folder)).list_templates()) == 6
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(mirror))
    assert env.get_template("main.html").render() == "<main><svg>a</svg></main>"
    assert (Path(mirror) / "assets/app.js").read_text(encoding="utf-8") == "js"


def test_the_mirror_is_made_once_and_follows_the_theme_files(tmp_path):
    folder = theme(tmp_path / "theme")
    root = tmp_path / "lib"
    root.mkdir()
    first = theme_mirror.mirrored(root, str(folder))
    theme_mirror._made.clear()  # a new process: the folder is looked at again
    assert theme_mirror.mirrored(root, str(folder)) == first
    (folder / "partials/new.html").write_text("n", encoding="utf-8")  # a theme upgrade
    theme_mirror._made.clear()
    second = theme_mirror.mirrored(root, str(folder))
    assert second != first and not Path(first).exists()  # the old version is removed
    assert "partials/new.html" in jinja2.FileSystemLoader(second).list_templates()


def test_a_folder_without_hidden_folders_or_a_library_that_cannot_hold_one_is_kept(tmp_path):
    plain = tmp_path / "plain"
    (plain / "assets").mkdir(parents=True)
    (plain / "main.html").write_text("m", encoding="utf-8")
    root = tmp_path / "lib"
    root.mkdir()
    assert theme_mirror.mirrored(root, str(plain)) == str(plain)
    folder = theme(tmp_path / "theme")
    (root / ".refs-cache").write_text("not a folder", encoding="utf-8")
    assert theme_mirror.mirrored(root, str(folder)) == str(folder)


def test_mkdocs_finds_the_same_theme_files_through_the_plugins_mirror(make_library, tmp_path):
    """Material through the mirror: MkDocs publishes the very same static files."""
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    found = {}
    for mirror in (False, True):
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "s"))
        if mirror:
            config = config.plugins.on_config(config)
            assert any(".refs-cache" in d for d in config.theme.dirs)
        else:
            config.theme.dirs.insert(0, str(TEMPLATES))
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        found[mirror] = sorted(
            (f.src_uri, Path(f.abs_src_path).read_bytes()) for f in files if f.abs_src_path
        )
    assert found[True] == found[False] and len(found[True]) > 20
