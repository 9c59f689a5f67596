"""The formulas store (`docs_gen.math_store`): a build converts only formulas no earlier
build of the library converted, and the site is the same with or without it."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time

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


def _in_a_child(job) -> object:
    """``job()`` in a forked child of one thread (as a plain `mkdocs build` is), its JSON
    result read back here."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_end)
            with open(write_end, "w", encoding="utf-8") as out:
                json.dump(job(), out)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with open(read_end, encoding="utf-8") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and data
    return json.loads(data)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_a_forked_worker_converts_what_a_new_interpreter_converts(tmp_path):
    """In a process of one thread the worker is the process forked: it converts the
    texts it was handed, skips what the process knows, and the MathML is the same."""
    paper = PAPER + "\n".join(f"Step ${chr(97 + i % 26)}_{{{i}}} \\leq {i}$.\n" for i in range(40))
    path = tmp_path / "full.md"
    path.write_text(paper, encoding="utf-8")

    def job():
        from docs_gen.math_store import Prefetch, can_fork

        mathml._DONE.clear()
        mathml.tex_to_mathml("E = mc^2", False)  # known already: not converted again
        before = set(mathml._DONE)
        assert can_fork()
        prefetch = Prefetch([path], min_bytes=0, texts={str(path): paper})
        assert prefetch.pid and prefetch.proc is None
        while prefetch.running:
            time.sleep(0.01)
        time.sleep(0.1)
        prefetch.collect()
        prefetch.close()
        return [[tex, block, out] for (tex, block), out in mathml._DONE.items()
                if (tex, block) not in before]  # fmt: skip

    made = {(tex, block): out for tex, block, out in _in_a_child(job)}
    assert set(made) == set(mathml.formulas(paper)) - {("E = mc^2", False)}
    for (tex, block), out in made.items():
        assert mathml._convert(tex, block) == out


def test_with_another_thread_about_the_worker_is_a_new_interpreter(tmp_path):
    from docs_gen.math_store import Prefetch, can_fork

    path = tmp_path / "full.md"
    path.write_text(PAPER, encoding="utf-8")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        prefetch = Prefetch([path], min_bytes=0, texts={str(path): PAPER})
        assert prefetch.proc is not None and not prefetch.pid
        prefetch.close()
    finally:
        stop.set()
        other.join()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_a_forked_worker_holds_no_descriptor_of_its_parent_but_its_pipe():
    """A pipe the build's process opened (a figure worker's, a test runner's) must see
    its end when the build closes it, not when the formula worker exits."""
    from docs_gen.math_store import _detach

    other_read, other_write = os.pipe()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            _detach(keep=write_end)
            os.write(write_end, json.dumps([fd for fd in range(4096) if _is_open(fd)]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with open(read_end, encoding="utf-8") as stream:
        still_open = json.loads(stream.read())
    os.waitpid(pid, 0)
    os.close(other_read)
    os.close(other_write)
    assert still_open == [0, 1, 2, write_end]  # the standard streams on /dev/null


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True
