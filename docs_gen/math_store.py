"""Formulas converted by earlier builds, kept on disk: a build converts only new ones.

latex2mathml is pure Python (~0.1 ms a formula) and a library of papers holds thousands
of formulas, converted on every `mkdocs build`: the largest part of the plugin's work. A
formula's MathML depends on nothing but its TeX, whether it is a display block and the
converter (latex2mathml's version and our code around it, `mathml.py`), so the store is
content-addressed: `.refs-cache/mathml/<converter>.json` (gitignored, beside the figure
images; never in `sources/` or `refs/`) holds the formulas of the library's last build,
and the digests of the texts whose formulas are all among them, so a build whose texts
are all known starts no converting worker at all.

New formulas are converted by `Prefetch`'s worker process on the second core while
MkDocs reads the pages. A cache, nothing more: without the folder (a clean checkout,
CI) every formula is converted as before and the output is the same byte for byte; a
file that does not read (another converter's, hand-edited) is ignored and written
anew; a folder that cannot be written only means the next build converts again.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from extract import fsio, url_safety
from extract.errors import RefsError

from . import cache_files, mathml

CACHE = ".refs-cache/mathml"
FORMAT = 1  # bump when the file's layout changes


def converter() -> str:
    """latex2mathml's version and a digest of our code that shapes its output."""
    from importlib.metadata import version  # here: the worker process never asks

    h = hashlib.blake2b(digest_size=8)
    for module in (mathml, url_safety):
        h.update(Path(module.__file__ or "").read_bytes())
    return f"{FORMAT}-{version('latex2mathml')}-{h.hexdigest()}"


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class MathStore:
    """The on-disk formulas of one library, read once per process (`mkdocs serve` keeps
    it across rebuilds) into `mathml`'s own memory."""

    def __init__(self, path: Path):
        self.path = path
        self.stored: set[mathml.Formula] = set()  # what the file holds now
        self.known: set[str] = set()  # digests of texts whose formulas it holds
        self.loaded = False
        self._digests: dict[str, tuple[str, str]] = {}  # path -> (text, its digest)

    @classmethod
    def of(cls, root: Path) -> MathStore:
        """The store of the library at ``root``, for the converter installed."""
        return cls(root / CACHE / f"{converter()}.json")

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        cache_files.load(self.path, self._take)

    def _take(self, data: dict) -> None:
        formulas = [((tex, bool(block)), out) for tex, block, out in data["formulas"]]
        known = {str(d) for d in data["texts"]}
        for formula, out in formulas:
            if isinstance(formula[0], str) and isinstance(out, str):
                mathml.remember(formula, out)
                self.stored.add(formula)
        self.known = known

    def unknown(self, texts: dict[str, str]) -> list[str]:
        """The files (of ``texts``, path -> text) whose formulas the store lacks."""
        self.load()
        return [path for path, text in texts.items() if self._digest(path, text) not in self.known]

    def _digest(self, path: str, text: str) -> str:
        """A served rebuild hands the same text objects again: hashed once per version."""
        kept = self._digests.get(path)
        if kept is None or not (kept[0] is text or kept[0] == text):
            kept = self._digests[path] = (text, text_digest(text))
        return kept[1]

    def save(self, texts: list[str]) -> None:
        """After a build that rendered every page: keep the formulas this process used
        (an edited-away formula is dropped) and mark ``texts`` as known. Written only
        when that changes what the file holds."""
        used = mathml.used()
        known = {text_digest(t) for t in texts}
        if used.keys() == self.stored and known == self.known:
            return
        rows = [[tex, block, out] for (tex, block), out in sorted(used.items())]
        if cache_files.write(self.path, {"formulas": rows, "texts": sorted(known)}):
            self.stored = set(used)
        self.known = known  # this process has them (`mkdocs serve`), written or not


# ---------- new formulas converted beside the build ----------


def convert_files(
    paths: Iterable[str], skip: Iterable[mathml.Formula] = ()
) -> Iterator[tuple[mathml.Formula, str]]:
    """The worker's job: every formula of these library files not in ``skip``, converted."""
    return convert_texts(_read_each(paths), skip)


def _read_each(paths: Iterable[str]) -> Iterator[str]:
    for path in paths:
        try:
            yield fsio.read_text(Path(path))
        except (OSError, RefsError):
            continue  # the page's own build reports it


def convert_texts(
    texts: Iterable[str], skip: Iterable[mathml.Formula] = ()
) -> Iterator[tuple[mathml.Formula, str]]:
    """Every formula of these texts not in ``skip``, converted (each once)."""
    seen = set(skip)
    for text in texts:
        for formula in mathml.formulas(text):
            if formula not in seen:
                seen.add(formula)
                yield formula, mathml._convert(*formula)


def _write(out, converted: Iterable[tuple[mathml.Formula, str]]) -> None:
    """One JSON line per formula, what `Prefetch._read` takes in."""
    for (tex, block), mathml_text in converted:
        out.write(json.dumps([tex, block, mathml_text]) + "\n")
    out.flush()


def worker_main() -> None:
    """`python -m docs_gen.math_store`: on stdin a JSON object, the paths and the store
    whose formulas the build has already ("" for none); one JSON line per
    formula converted on stdout. A plain child process, not `multiprocessing`: nothing
    of the parent's `__main__` is run again, whatever script started the build."""
    job = json.load(sys.stdin)
    skip: set[mathml.Formula] = set()
    if job["store"]:
        store = MathStore(Path(job["store"]))
        store.load()
        skip = store.stored
    _write(sys.stdout, convert_files(job["paths"], skip))


class Prefetch:
    """Formulas converted by a worker process while MkDocs reads the pages (MkDocs
    renders on one core): the worker reads the files itself, so the build's process
    only hands it their paths, and the store's file to skip what it holds.

    Given the files' ``texts`` too, in a process of one thread (a plain `mkdocs build`)
    on Linux, the worker is this process forked: it has the texts, the formulas known
    and latex2mathml imported already, where a new interpreter spends ~0.15 s CPU
    starting and importing before its first formula (a third of its work on a library
    of papers). With other threads about (`mkdocs serve`'s server, a test runner) the
    worker is a new interpreter, as a fork copies no thread and no lock another holds."""

    def __init__(
        self,
        paths: Iterable[Path],
        min_bytes: int = 400_000,
        store: str = "",
        texts: Mapping[str, str] | None = None,
    ):
        self.proc: subprocess.Popen | None = None  # the worker as a new interpreter
        self.pid = 0  # the worker as this process forked
        self.results: queue.SimpleQueue = queue.SimpleQueue()
        sized = []
        for path in paths:
            try:
                sized.append((str(path), path.stat().st_size))
            except OSError:
                continue
        if sum(n for _, n in sized) < min_bytes or (os.cpu_count() or 1) < 2:
            return
        if texts is not None and can_fork():
            known = [texts[p] for p, _ in sized if p in texts]
            self._fork(known, skip=mathml.known())
            return
        self.proc = proc = subprocess.Popen(
            [sys.executable, "-m", "docs_gen.math_store"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        assert proc.stdin is not None and proc.stdout is not None  # both are pipes
        proc.stdin.write(json.dumps({"paths": [p for p, _ in sized], "store": store}))
        proc.stdin.close()
        threading.Thread(target=self._read, args=(proc.stdout,), daemon=True).start()

    def _fork(self, texts: list[str], skip: set[mathml.Formula]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: convert, write, and leave without the parent's cleanup
            status = 1
            try:
                _detach(keep=write_end)
                with open(write_end, "w", encoding="utf-8") as out:
                    _write(out, convert_texts(texts, skip))
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid = pid
        stream = open(read_end, encoding="utf-8")  # noqa: SIM115 - the reader closes it
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    @property
    def running(self) -> bool:
        """Whether the worker is still at work (tests wait for it)."""
        if self.proc is not None:
            return self.proc.poll() is None
        if self.pid:
            return os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
        return False

    def _read(self, stream) -> None:
        with stream:
            for line in stream:
                try:
                    tex, block, converted = json.loads(line)
                except ValueError:
                    break  # a worker that died mid-line: the rest converts in place
                self.results.put(((tex, block), converted))

    def collect(self) -> None:
        """Take in what the worker has finished (never waits)."""
        while True:
            try:
                formula, converted = self.results.get_nowait()
            except queue.Empty:
                return
            mathml.remember(formula, converted)

    def close(self) -> None:
        if self.pid:
            pid, self.pid = self.pid, 0
            if os.waitpid(pid, os.WNOHANG) == (0, 0):  # still converting: not needed now
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None


def can_fork() -> bool:
    """Whether this process may fork a worker: Linux, and no thread but this one."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def _detach(keep: int) -> None:
    """In a forked worker: no descriptor of the parent's held open but ``keep`` (a pipe
    the parent's reader waits on must see its end when the parent closes it), the
    standard streams on /dev/null, and no collection finalising the parent's objects."""
    gc.disable()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    for name in os.listdir("/proc/self/fd"):  # (the listing's own descriptor is gone by now)
        fd = int(name)
        if fd > 2 and fd != keep:
            try:
                os.close(fd)
            except OSError:
                pass


if __name__ == "__main__":
    worker_main()
