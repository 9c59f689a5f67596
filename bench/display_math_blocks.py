"""Display math in converted corpus papers: does every `$$` block stay one formula?

    .venv/bin/python bench/display_math_blocks.py [CORPUS] [--show] [--out DIR]

CORPUS (default ../shared/corpus) is read where it is, never copied. Each LaTeX
e-print (`latex/<name>/raw/`), each compiled paper (`pdf-tex/<name>/raw/`, `pdf/...`)
and each web page is converted as `refs convert` does (`run.convert_one`); each
`pdf-tex/<name>/source/` (the paper's own .tex) is also converted by the LaTeX reader.
The markdown is then rendered by cmark-gfm (GitHub's parser) and by the site's pipeline
(the GitHub pass, then Python-Markdown with arithmatex), and a display formula counts
as split when GitHub leaves a block element (paragraph, item, heading, cell) holding an
odd number of `$$`, or the site leaves a `$$` in text (arithmatex found no formula).
Inline math that GitHub reads as `$$` (`$a$$b$`, a `$` inside a formula) counts too.

The checks are the tests' own (`tests/math_blocks.py`). Prints one row per document: `$$` blocks written, split on GitHub, split on the site;
`--show` prints each split block's first lines; `--out DIR` writes each full.md there
(to diff two runs by eye). Exit 1 when any block is split; exit 0 when CORPUS is absent.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from math_blocks import site_formulas, split_on_github  # noqa: E402

from extract.anchors import front_matter_end  # noqa: E402
from extract.convert.latex import convert_latex  # noqa: E402
from extract.convert.run import convert_one  # noqa: E402
from extract.errors import RefsError  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus"
KINDS = ("latex", "pdf-tex", "pdf")
PAGES = (
    "making-dl-go-brrrr",
    "pytorch-cuda-semantics",
    "dynamo-deep-dive",
    "funcol-rfc-93173",
    "gpipe",
    "dit-paper",
    "pp-siboehm",
    "nvidia-gpu-perf-guide",
    "vllm-anatomy",
)
_OPENER = re.compile(r"^[ \t]*\$\$", re.M)


def documents(corpus: Path) -> list[tuple[str, str]]:
    """(name, full.md text) of every document of the corpus this checks."""
    out = []
    for kind in KINDS:
        for folder in sorted(p for p in (corpus / kind).glob("*") if (p / "raw").is_dir()):
            out.append((f"{kind}/{folder.name}", _convert(folder / "raw")))
            if (folder / "source").is_dir():
                out.append((f"{kind}/{folder.name}/source", _convert_tex(folder / "source")))
    for name in PAGES:
        if (corpus / name / "raw").is_dir():
            out.append((name, _convert(corpus / name / "raw")))
    return out


def _convert(raw: Path) -> str:
    try:
        return convert_one(str(raw), {"source_url": "https://example.org/paper"})
    except RefsError as exc:
        return f"conversion failed: {exc}"


def _convert_tex(source: Path) -> str:
    files = {str(p.relative_to(source)): p.read_bytes() for p in source.rglob("*") if p.is_file()}
    try:
        return convert_latex(files).body
    except RefsError as exc:
        return f"conversion failed: {exc}"


def body(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(lines[front_matter_end(lines) :])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", action="store_true", help="print each split block")
    parser.add_argument("--out", type=Path, help="write each converted markdown here")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"{args.corpus}: no corpus folder here; nothing to check")
        return 0
    print(f"{'document':<34} {'blocks':>6} {'github':>6} {'site':>6}")
    total = [0, 0, 0]
    for name, text in documents(args.corpus):
        if args.out:
            target = args.out / name / "full.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        md = body(text)
        gh, site = split_on_github(md), site_formulas(md)[1]
        row = [len(_OPENER.findall(md)), len(gh), len(site)]
        total = [a + b for a, b in zip(total, row, strict=True)]
        print(f"{name:<34} {row[0]:>6} {row[1]:>6} {row[2]:>6}")
        if args.show:
            for text_of in gh:
                print("    github:", " ".join(text_of.split())[:160])
            for text_of in site:
                print("    site:  ", " ".join(text_of.split())[:160])
    print(f"{'total':<34} {total[0]:>6} {total[1]:>6} {total[2]:>6}")
    return 1 if total[1] or total[2] else 0


if __name__ == "__main__":
    sys.exit(main())
