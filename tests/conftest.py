"""Fixtures any test may ask for: `make_library`, `run_refs`, `refs_cli`, `refs_subprocess`,
`browser`.

Bigger fixture data lives in modules named for what they hold, imported where needed:

- sample_library.py: the tiny curriculum, manifest entry snippets, `tree`
- sample_pages.py: HTML pages of several site families, GitHub issue JSON, raw-folder writers
- sample_papers.py: arXiv abstract pages, LaTeX e-prints and PDFs of made-up papers
- latex_paper.py: `paper()`, a one-file LaTeX paper converted
- multipage_guide.py: a multi-page Sphinx guide as Tier 1 stores it
- anchor_corpus.py: tricky headings and the anchors GitHub gives them
- http_server.py: a scriptable HTTP(S) server on 127.0.0.1 and the bodies it serves
- json_shapes.py: the documented JSON shapes of the commands and `assert_shape`
- mkdocs_site.py: the fixture mkdocs.yml, `build`, `serve`, `mkdocs_serve` (and `wait_for`
  a served page to show an edit), `KeptFiles` (a library put back after a test's edits),
  Chromium
- browser_pages.py: the Chromium pages `new_page` keeps across a module's tests, each reset
  to where a fresh context starts
- forked_process.py: `python -m` commands in processes forked from a zygote that did the
  imports (a cold build, `mkdocs serve`): new processes without the start-up
- compiled_templates.py: the theme's Jinja templates compiled once for all the builds of
  a test process and of the processes it forks
- pdf_writer.py (a small PDF writer), manifest_editor.py (a person editing the manifest)
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import forked_process
import pytest
from browser_pages import KeptPages
from mkdocs_site import CHROMIUM, CHROMIUM_ARGS, as_a_new_process, mkdocs_config
from sample_library import MANIFEST_HEAD

FIXTURES = Path(__file__).parent / "fixtures"
CURRICULUM_FILE = "distributed_video_dit_inference.md"
MANIFEST_FILE = Path("refs") / "manifest.yaml"


def pytest_configure(config):
    """Keep bytecode of what the run imports even where the environment says not to write
    it (PYTHONDONTWRITEBYTECODE): every xdist worker and every command a test starts
    imports the project and the test modules again, and compiling them from source (and
    pytest rewriting each test module's asserts) is ~3 s CPU a worker, every run. The
    files go to the __pycache__ folders git ignores."""
    sys.dont_write_bytecode = False


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than the CPUs this process may use. Many tests spend
    part of their time waiting (a served rebuild, a slow test server, Chromium), and a
    third worker's tests fill that time on two cores (whole run on this project's 2-core
    machine, median of 4: 131 s against 136 s of 5 with two workers; 4 workers: 133 s)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cpus or 1) + 1


@pytest.fixture(scope="session")
def make_library(tmp_path_factory):
    """Build a library on disk and return its root (a `Path`; wrap it in `Library(...)`).

    ``make_library(fixture=None, *, root=None, curriculum=None, manifest=None,
    resources=None, entries=None, files=None, sync=False, mkdocs=None) -> Path``

    Each argument adds one thing, in this order:

    - ``fixture``: copy the fixture library ``tests/fixtures/<fixture>/`` (``"agent"``,
      ``"site"``, ``"owner"``, ``"published"``: the owner's formats as his site publishes,
      hand-made full.md files with links written against the original site), the
      ``.refs-cache`` search index left out.
    - ``curriculum``: text written as ``distributed_video_dit_inference.md``
      (``sample_library.CURRICULUM`` is a tiny one).
    - the manifest ``refs/manifest.yaml``, from at most one of
      ``manifest`` (its text, as is), ``resources`` (dicts ``{id, urls, title=id,
      type="blog", status="fetched"}``, each in topic 1 with priority high: what the
      convert tests need) or ``entries`` (YAML entry snippets, ``sample_library.entry(...)``,
      under ``sample_library.MANIFEST_HEAD``).
    - ``files``: ``{path relative to the root: text or bytes}``, any other files (cards,
      topic docs, raw artifacts); folders are made.
    - ``sync=True``: run `refs sync` (``extract.sync.sync``) to derive the manifest and
      the topic docs from the curriculum.
    - ``mkdocs``: ``True``, or a dict of ``refs-library`` plugin options, writes the
      fixture ``mkdocs.yml`` (``mkdocs_site.mkdocs_config``) and the empty ``site_docs/``
      it names, ready for ``mkdocs_site.build``.

    ``root`` is where the library goes (made if missing; it may already hold files, e.g.
    ``root=tmp_path``); by default a fresh temporary folder, so one test may make several
    libraries. Session-scoped, so module-scoped fixtures can build a library too.

    ``Library(make_library("agent"))``, ``make_library(curriculum=CURRICULUM, sync=True)``,
    ``make_library(root=tmp_path, entries=[entry("a", [url])])``,
    ``make_library("site", root=tmp / "lib", mkdocs={"publish_raw": True})``.
    """

    def make(
        fixture: str | None = None,
        *,
        root: Path | None = None,
        curriculum: str | None = None,
        manifest: str | None = None,
        resources: list[dict] | None = None,
        entries: list[str] | None = None,
        files: dict[str, str | bytes] | None = None,
        sync: bool = False,
        mkdocs: bool | dict | None = None,
    ) -> Path:
        sources = {"manifest": manifest, "resources": resources, "entries": entries}
        given = [name for name, value in sources.items() if value is not None]
        if len(given) > 1:
            raise TypeError(f"make_library: give one of {' and '.join(given)}, not both")
        root = Path(root) if root is not None else tmp_path_factory.mktemp("lib")
        root.mkdir(parents=True, exist_ok=True)
        if fixture is not None:
            source = FIXTURES / fixture
            if not source.is_dir():
                known = ", ".join(sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
                raise ValueError(
                    f"make_library: no folder tests/fixtures/{fixture}/ (there are {known})"
                )
            ignore = shutil.ignore_patterns(".refs-cache")
            shutil.copytree(source, root, ignore=ignore, dirs_exist_ok=True)
        if curriculum is not None:
            _write(root / CURRICULUM_FILE, curriculum)
        if resources is not None:
            manifest = _resources_manifest(resources)
        elif entries is not None:
            manifest = MANIFEST_HEAD + "".join(entries)
        if manifest is not None:
            _write(root / MANIFEST_FILE, manifest)
        for rel, data in (files or {}).items():
            _write(root / rel, data)
        if sync:
            from extract import Library
            from extract.sync import sync as sync_library

            sync_library(Library(root))
        if mkdocs is not None and mkdocs is not False:
            options = {} if mkdocs is True else dict(mkdocs)
            (root / "site_docs").mkdir(exist_ok=True)
            _write(root / "mkdocs.yml", mkdocs_config(**options))
        return root

    return make


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def _resources_manifest(resources: list[dict]) -> str:
    """A manifest of flow-style entries (convert needs no curriculum)."""
    lines = ["# convert test manifest\n", "reading_order: []\n", "resources:\n"]
    for r in resources:
        lines += [
            f"  - id: {r['id']}\n",
            f'    title: "{r.get("title", r["id"])}"\n',
            f"    urls: [{', '.join(r['urls'])}]\n",
            f"    type: {r.get('type', 'blog')}\n",
            "    topics: [1]\n",
            "    priority: high\n",
            f"    status: {r.get('status', 'fetched')}\n",
            "    local_paths: []\n",
        ]
    return "".join(lines)


@pytest.fixture(scope="module", autouse=True)
def _module_temp_folders_removed(request, tmp_path_factory):
    """What a test module made with `tmp_path_factory` (its module-scoped sites and
    libraries) is removed when its tests all passed, as pytest removes a passed test's
    `tmp_path` (`tmp_path_retention_policy = "failed"` in pyproject.toml): files deleted
    while new cost little, and the end of the session waits for no big delete."""
    base = tmp_path_factory.getbasetemp()
    before = set(base.iterdir())
    failed = request.session.testsfailed
    yield
    if (
        request.config.getini("tmp_path_retention_policy") == "failed"
        and request.session.testsfailed == failed
    ):
        for path in set(base.iterdir()) - before:
            shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def _stop_the_zygote():
    """`forked_process`'s zygote ends with the session, waited for (its children's CPU
    time is then counted as this process's)."""
    yield
    forked_process.stop()


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def run_refs(capsys, monkeypatch):
    """Run `refs --root <root> <args>` in this process.

    ``run_refs(root, *args, stdin=None, tty=False) -> (exit code, stdout, stderr)``;
    ``stdin`` is the text the command reads, ``tty=True`` makes that stdin a terminal.
    Output printed before the call is dropped, not returned.
    """
    from extract.cli import main

    def run(root: Path, *args: str, stdin: str | None = None, tty: bool = False):
        capsys.readouterr()
        stream = (_Tty if tty else io.StringIO)(stdin or "")
        monkeypatch.setattr(sys, "stdin", stream)
        code = main(["--root", str(root), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def refs_cli():
    """Run `refs --root <root> <args>` in this process as a new process would run it
    (`mkdocs_site.as_a_new_process`: stdout, stderr, exit code, a traceback if it dies),
    without the interpreter start and imports a process costs.

    ``refs_cli(root, *args) -> subprocess.CompletedProcess`` (text output), the shape of
    `refs_subprocess`, which the tests of the entry point itself keep.
    """
    from extract.cli import main

    def run(root: Path, *args: str) -> subprocess.CompletedProcess:
        return as_a_new_process(["refs", "--root", str(root), *args], main, Path.cwd())

    return run


@pytest.fixture(scope="session")
def refs_subprocess():
    """Run the real `refs` command in a subprocess, as a user would.

    ``refs_subprocess(root, *args) -> subprocess.CompletedProcess`` (text output).
    """

    def run(root: Path, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "extract.cli", "--root", str(root), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


class _SharedChromium:
    """One headless Chromium per test session (per xdist worker), started when a test
    first asks for it: a launch costs more than the pages most test modules open. Its
    kept pages (`browser_pages.KeptPages`) serve every module."""

    def __init__(self):
        self._pw = None
        self._browser = None
        self._pages: KeptPages | None = None

    def get(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        return self._browser

    def kept_pages(self) -> KeptPages:
        if self._pages is None:
            self._pages = KeptPages(self.get())
        return self._pages

    def stop(self) -> None:
        """Close it and its pages (a later `get` starts another)."""
        if self._pages is not None:
            self._pages.close()
            self._pages = None
        if self._browser is not None:
            self._browser.close()
            self._pw.stop()
            self._browser = self._pw = None


_CHROMIUM = _SharedChromium()


@pytest.fixture(scope="session", autouse=True)
def _close_shared_chromium():
    yield
    _CHROMIUM.stop()


@pytest.fixture(scope="module")
def browser():
    """The system's Chromium, headless, through Playwright: one per test session (per
    xdist worker), shared by modules through pages as fresh contexts give them
    (`new_page`, or a page of `browser.new_page()` the test closes), so no state passes
    between tests. (Test files
    that use it skip themselves when `mkdocs_site.chromium_available()` is false.)"""
    return _CHROMIUM.get()


@pytest.fixture(scope="module")
def _kept_pages(browser):
    pages = _CHROMIUM.kept_pages()
    yield pages
    pages.end_of_servers()  # the module's servers end with it


@pytest.fixture
def new_page(_kept_pages):
    """Pages as fresh contexts give them (options: viewport, touch, ...), checked on the
    way out: no console error, no host but 127.0.0.1. A page that is reset to where a
    fresh one starts is kept for the next test, of this module or a later one, that asks
    for a context like its own (`browser_pages.KeptPages`): a context costs more than
    most tests' pages. Its HTTP cache lasts until the module ends."""
    taken = []

    def make(**options):
        page = _kept_pages.take(options)
        taken.append(page)
        return page

    yield make
    seen = [(page.console_errors, page.hosts) for page in taken]
    for page in taken:
        _kept_pages.give_back(page)
    for console_errors, hosts in seen:
        assert console_errors == []
        assert hosts <= {"127.0.0.1"}, hosts
