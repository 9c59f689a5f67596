"""The formulas store (`docs_gen.math_store`): a build converts only formulas no earlier
build of the library converted, and the site is the same with or without it."""

from __future__ import annotations

import json
import shutil

import pytest
from mkdocs_site import build_in_a_new_process, drop_broken_citation

from docs_gen import mathml
from docs_gen.math_store import CACHE, MathStore, converter


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test as a new build process: no formula converted or asked for yet."""
    mathml._DONE.clear()
    mathml._USED.clear()


PAPER = "# Paper\n\nEnergy $E = mc^2$ and\n\n$$\n\\sum_{i=1}^{n} x_i\n$$\n"


def test_saved_formulas_and_texts_are_known_to_the_next_build(tmp_path):
    store = MathStore.of(tmp_path)
    for tex, block in mathml.formulas(PAPER):
        mathml.tex_to_mathml(tex, block)
    store.save([PAPER])
    assert store.path.parent == tmp_path / CACHE and converter() in store.path.name

    again = MathStore.of(tmp_path)
    assert again.unknown({"a.md": PAPER, "b.md": PAPER + "\n$y$\n"}) == ["b.md"]
    assert set(mathml.formulas(PAPER)) <= again.stored
    rows = json.loads(again.path.read_text(encoding="utf-8"))["formulas"]
    assert ["E = mc^2", False, mathml.tex_to_mathml("E = mc^2", False)] in rows


def test_a_file_that_does_not_read_is_ignored_and_written_anew(tmp_path):
    store = MathStore.of(tmp_path)
    store.path.parent.mkdir(parents=True)
    store.path.write_text('{"formulas": [["x", fal', encoding="utf-8")
    assert store.unknown({"a.md": PAPER}) == ["a.md"]
    mathml.tex_to_mathml("E = mc^2", False)
    store.save([PAPER])
    assert MathStore.of(tmp_path).unknown({"a.md": PAPER}) == []


def test_nothing_is_written_when_nothing_changed(tmp_path):
    store = MathStore.of(tmp_path)
    mathml.tex_to_mathml("E = mc^2", False)
    store.save([PAPER])
    before = store.path.stat()
    store.save([PAPER])  # a write would put a new file (inode) in its place
    after = store.path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def _site(site):
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != "sitemap.xml.gz" and p.name != "sitemap.xml"
    }


def test_a_build_takes_formulas_from_the_store_and_a_clean_one_makes_the_same_site(
    make_library, tmp_path
):
    root = make_library("site", root=tmp_path / "lib", mkdocs=True)
    drop_broken_citation(root)
    first = build_in_a_new_process(root, tmp_path / "first")
    assert first.returncode == 0, first.stderr
    page = "sources/alpha-paper/full/index.html"
    cold = (tmp_path / "first" / page).read_text(encoding="utf-8")
    files = list((root / CACHE).glob("*.json"))
    assert len(files) == 1

    # The store is what a build uses: an entry changed by hand shows on the page.
    data = json.loads(files[0].read_text(encoding="utf-8"))
    tex, block, out = data["formulas"][0]
    assert out in cold
    data["formulas"][0][2] = '<math data-test="from-the-store"></math>'
    files[0].write_text(json.dumps(data), encoding="utf-8")
    warm = build_in_a_new_process(root, tmp_path / "warm")
    assert warm.returncode == 0, warm.stderr
    assert 'data-test="from-the-store"' in (tmp_path / "warm" / page).read_text(encoding="utf-8")

    # Without the store (a clean checkout, CI) the site is the first one, byte for byte.
    shutil.rmtree(root / ".refs-cache")
    clean = build_in_a_new_process(root, tmp_path / "clean")
    assert clean.returncode == 0, clean.stderr
    assert _site(tmp_path / "clean") == _site(tmp_path / "first")


def test_the_worker_converts_only_what_the_store_lacks(tmp_path):
    import time

    from docs_gen.math_store import Prefetch

    store = MathStore.of(tmp_path)
    mathml.tex_to_mathml("E = mc^2", False)
    store.save([PAPER])
    path = tmp_path / "full.md"
    path.write_text(PAPER, encoding="utf-8")
    mathml._DONE.clear()
    prefetch = Prefetch([path], min_bytes=0, store=str(store.path))
    assert prefetch.proc is not None
    deadline = time.monotonic() + 60
    while prefetch.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    prefetch.collect()
    prefetch.close()
    assert set(mathml._DONE) == {("\\sum_{i=1}^{n} x_i", True)}  # not E = mc^2: stored


def test_formula_scan_finds_what_a_regex_scan_of_each_paragraph_finds():
    """The worker's scan tries the inline patterns only at a `$` or backslash (and code
    spans only at a backtick): the same matches as running them over every position."""
    import random

    from extract.markdown import CODE_SPAN

    def plain(block):
        masked = CODE_SPAN.sub(lambda m: "\x00" * len(m.group(0)), block)
        found = mathml._INLINE.finditer(masked)
        return [(m.span(), m.groups()) for m in found if mathml._inline_tex(m)]

    atoms = ["$", "$$", "\\", "\\\\", "\\(", "\\)", "`", "``", "x", " ", "a+b", "\n",
             "\\[", "\\]", "y_1", "\\$", "\\\\$"]  # fmt: skip
    rng = random.Random(3)
    blocks = ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 40))) for _ in range(5000)]
    blocks += ["price \\$5 and $x$", "`$a$` then $b$", "\\\\(no\\\\) \\(yes\\)", "$ x$ $x $"]
    for block in blocks:
        found = [(m.span(), m.groups()) for m, _ in mathml._inline_in(block)]
        assert found == plain(block)
