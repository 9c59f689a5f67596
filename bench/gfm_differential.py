"""Markdown files rendered by our site's pipeline and by cmark-gfm (GitHub's parser),
compared element by element: which files render as GitHub renders them, and where the
first difference is in those that do not. Run over the real-data corpus (reference
full.md files, cards, the owner's curriculum) or any folders of markdown; prints one
line per file, then the share that matches. Files are read where they are, never copied.

    .venv/bin/python bench/gfm_differential.py ../shared/corpus [/tmp/lib/refs ...]

A folder that does not exist is said and skipped (a clone without `../shared`).
Needs the test extra (cmarkgfm, bs4): the comparison is the tests' own (`gfm_random`)."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from gfm_corpus import github, ours  # noqa: E402
from gfm_random import known_difference, shape  # noqa: E402

from extract.anchors import front_matter_end  # noqa: E402


def body(text: str) -> str:
    """The text without its YAML front matter (GitHub shows it as a table; MkDocs reads it)."""
    lines = text.split("\n")
    return "\n".join(lines[front_matter_end(lines) :])


def first_difference(a: tuple, b: tuple) -> str:
    left, right = [repr(x) for x in a], [repr(x) for x in b]
    for line in difflib.unified_diff(left, right, "ours", "github", lineterm="", n=0):
        if line[:1] in "-+" and not line.startswith(("---", "+++")):
            return line[:300]
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    same = total = 0
    for folder in args.folders:
        if not folder.is_dir():
            print(f"{folder}: no such folder, skipped")
            continue
        for path in sorted(folder.rglob("*.md")):
            if "raw" in path.parts:
                continue
            try:
                text = body(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as e:
                print(f"{path}: unreadable ({e}), skipped")
                continue
            total += 1
            a, b = shape(ours(text)), shape(github(text))
            if a == b:
                same += 1
                print(f"same     {path}")
            else:
                known = known_difference(text)
                print(f"DIFFERS  {path}" + (f" (known: {known})" if known else ""))
                lines = first_difference(a, b).split("\n")
                print("         " + lines[0])
    if total:
        print(f"\n{same}/{total} files render as GitHub renders them ({same / total:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
