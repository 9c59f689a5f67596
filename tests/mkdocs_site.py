"""The site tests' tools: the fixture mkdocs.yml, builds, a static server, `mkdocs serve`,
Chromium. (`make_library("site", mkdocs=True)` in conftest.py builds the library.)"""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import io
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import compiled_templates
import forked_process
import jinja2
import pytest
from compiled_templates import CompiledTemplates

from extract.fetch.render import BROWSER_ARGS, DEFAULT_CHROMIUM

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = DEFAULT_CHROMIUM
CHROMIUM_ARGS = BROWSER_ARGS  # the flags `refs fetch --render` uses: quiet on a closed network

FIXTURE_CONFIG = """\
site_name: Fixture library
site_url: http://127.0.0.1/
docs_dir: site_docs
theme:
  name: material
  font: false
  features: [navigation.tabs, navigation.sections, navigation.indexes, content.code.copy]
plugins:
  - search
  - refs-library:
{refs_library_options}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
validation:
  omitted_files: warn
  unrecognized_links: warn
  anchors: warn
"""


def mkdocs_config(**options) -> str:
    """The fixture mkdocs.yml with these `refs-library` plugin options (over the defaults
    ``scope_drd_url=""``, ``publish_raw=False``), each written as JSON, which YAML reads."""
    options = {"scope_drd_url": "", "publish_raw": False, **options}
    lines = [f"      {key}: {json.dumps(value)}" for key, value in options.items()]
    return FIXTURE_CONFIG.format(refs_library_options="\n".join(lines))


def drop_broken_citation(root: Path) -> None:
    """Remove the fixture's one broken citation (claim 3 of beta-blog)."""
    card = root / "refs" / "resources" / "beta-blog.md"
    text = card.read_text(encoding="utf-8")
    fixed = text.replace(
        "[missing](../../sources/beta-blog/full.md#no-such-heading)",
        "[results](../../sources/beta-blog/full.md#results)",
    )
    assert fixed != text
    card.write_text(fixed, encoding="utf-8")


class KeptFiles:
    """The files of a library as they are now, `.refs-cache/` too, to put back after a
    test's edits: `restore` writes back what changed, removes files and folders made
    since and makes again what was removed, so a server watching the library sees edits
    undone, not a new library, and what the next cold build reads from `.refs-cache/` is
    what was there."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = {rel: path.read_bytes() for rel, path in self._walk() if path.is_file()}
        self.folders = {rel for rel, path in self._walk() if path.is_dir()}

    def _walk(self):
        for path in self.root.rglob("*"):
            yield path.relative_to(self.root).as_posix(), path

    def restore(self) -> None:
        for rel, path in sorted(self._walk(), reverse=True):  # a folder's files first
            if path.is_dir() and rel not in self.folders:
                path.rmdir()
            elif not path.is_dir() and rel not in self.files:
                path.unlink()
        for rel, data in self.files.items():
            path = self.root / rel
            if not path.is_file() or path.read_bytes() != data:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)


def build(root: Path, site: Path, strict: bool = True) -> subprocess.CompletedProcess:
    """`mkdocs build [--strict]` of the library at ``root`` into ``site``."""
    args = ["build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    if strict:
        args.append("--strict")
    return run_mkdocs(args, cwd=root)


def build_in_a_new_process(
    root: Path, site: Path, strict: bool = True
) -> subprocess.CompletedProcess:
    """`build`, in a `mkdocs` process of its own: for a test whose point is a build with
    no memory of this process (the serve cache's cold builds; what a build reads from
    .refs-cache/, which the project's memory of this process, e.g. the formulas
    `docs_gen.mathml` converted, would hide). The process is forked from a zygote that
    has done the imports (`forked_process`): a new process without the start-up, and
    with the theme's templates compiled by an earlier build (`compiled_templates`)."""
    args = ["build", "-f", str(root / "mkdocs.yml"), "-d", str(site)]
    if strict:
        args.append("--strict")
    install = functools.partial(compiled_templates.install, str(_templates().folder))
    return forked_process.run("mkdocs", args, cwd=root, env=_env(), timeout=300, preexec_fn=install)


def refs_site(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`refs --root <root> site <args>` as a user runs it (`as_a_new_process`)."""
    from extract.cli import main

    return as_a_new_process(["refs", "--root", str(root), "site", *args], main, Path.cwd())


def plain_build(out: Path, site: Path) -> subprocess.CompletedProcess:
    """A plain Material build (no refs-library plugin) of what `refs site --out` wrote."""
    args = ["build", "--strict", "-f", str(out / "mkdocs.yml"), "-d", str(site)]
    return run_mkdocs(args, cwd=Path.cwd())


def run_mkdocs(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """`mkdocs <args>` by MkDocs' own command line (`as_a_new_process`). `mkdocs serve`
    keeps a process of its own (`mkdocs_serve`)."""
    from mkdocs.__main__ import cli

    def run(argv: list[str]) -> int:
        cli.main(argv, prog_name="mkdocs")
        return 0

    return as_a_new_process(["mkdocs", *args], run, cwd)


_TEMPLATES: CompiledTemplates | None = None


def _templates() -> CompiledTemplates:
    """This test process's compiled theme templates (`compiled_templates`), shared with
    the builds it forks through a folder removed when the process ends."""
    global _TEMPLATES
    if _TEMPLATES is None:
        folder = Path(tempfile.mkdtemp(prefix="refs-tests-templates-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _TEMPLATES = CompiledTemplates(folder)
    return _TEMPLATES


def as_a_new_process(command: list[str], main, cwd: Path) -> subprocess.CompletedProcess:
    """``main(command[1:])`` (a command line's entry point) run in this process as a new
    process would run it: in ``cwd``, with `_env()`'s variables, a fresh MkDocs plugin
    instance, stdin empty, stdout and stderr captured, the exit code of its return or `SystemExit`, a
    traceback on stderr when it dies of an exception, and nothing left behind (MkDocs'
    log handlers and filters, warning filters, the plugin cache, the environment). A
    build costs half the CPU it costs in a new process (no interpreter start, no
    imports), and less again with the theme's templates compiled once per test process
    (`compiled_templates`: Jinja's bytecode cache on the theme's environment; the same
    text compiles to the same code). What the project memoises per process (pure
    answers, e.g. the formulas `docs_gen.mathml` converted) is kept; a test of what a
    build reads back from
    .refs-cache/ builds in a new process (`build_in_a_new_process`), and tests of the
    entry point itself run the real command (`refs_subprocess`)."""
    import logging
    import os
    import traceback
    import warnings

    from mkdocs.commands import build as build_module
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.theme import Theme

    plugin_cache = MkDocsConfig.plugins.plugin_cache  # plugins MkDocs keeps for `serve`
    logger, root_logger = logging.getLogger("mkdocs"), logging.getLogger()
    saved = (logger.handlers[:], logger.level, logger.propagate, build_module.log.filters[:])
    saved_root = root_logger.handlers[:]
    saved_env = dict(os.environ)
    out, err = io.StringIO(), io.StringIO()
    plugin_cache.clear()
    os.environ.update(_env())
    get_env = Theme.get_env
    templates = _templates()

    def get_env_compiled_once(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        env.bytecode_cache = templates
        return env

    Theme.get_env = get_env_compiled_once  # type: ignore[method-assign]
    try:
        with (
            warnings.catch_warnings(),
            contextlib.chdir(cwd),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            open(os.devnull, encoding="utf-8") as stdin,
        ):
            saved_stdin, sys.stdin = sys.stdin, stdin  # a test may have set its own
            # As in a new process: no root log handler (a record reaches stderr through
            # logging's last resort, not pytest's capture), Python's default warning
            # filters, warnings printed on stderr.
            root_logger.handlers[:] = []
            warnings.resetwarnings()
            for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning):
                warnings.simplefilter("ignore", category)
            warnings.simplefilter("ignore", ResourceWarning)
            warnings.showwarning = _print_warning
            try:
                code = main(command[1:])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
            except Exception:  # what the interpreter prints when a process dies of it
                traceback.print_exc()
                code = 1
            finally:
                sys.stdin = saved_stdin
    finally:
        Theme.get_env = get_env  # type: ignore[method-assign]
        plugin_cache.clear()
        root_logger.handlers[:] = saved_root
        logger.handlers[:], logger.level, logger.propagate = saved[:3]
        build_module.log.filters[:] = saved[3]
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(command, code, out.getvalue(), err.getvalue())


def build_both(root: Path, base: Path, site: str = "plugin") -> None:
    """Both builds of ``root``, each without a warning: the plugin's into ``base/site``,
    `refs site --out` into ``base/export`` and plain Material's of it into ``base/plain``."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = build(root, base / site)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    out = refs_site(root, "--out", str(base / "export"))
    assert out.returncode == 0, out.stderr
    plain = plain_build(base / "export", base / "plain")
    assert plain.returncode == 0 and "WARNING" not in plain.stderr, plain.stderr


def _print_warning(message, category, filename, lineno, file=None, line=None) -> None:
    import warnings

    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _env() -> dict:
    import os

    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output clean
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A browser that drops a request it no longer needs is no error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path):
    """Serve a built site on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is not None


def fetch(url: str) -> str:
    """The text of a page of a served site (127.0.0.1 only)."""
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def wait_for(url: str, text: str, timeout: float = 90) -> str:
    """The page at ``url`` once it holds ``text`` (a served rebuild landed); the test
    fails when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if text in (page := fetch(url)):
                return page
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"{text!r} never appeared at {url}")


@contextlib.contextmanager
def mkdocs_serve(root: Path, timeout: float = 120, output: list[str] | None = None):
    """`mkdocs serve` of a library on a free 127.0.0.1 port, in a process of its own
    (forked, `forked_process`); yields the base URL.
    ``output``: a list that receives what the server prints, line by line."""
    import socket
    import subprocess
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["serve", "-f", str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    proc = forked_process.start("mkdocs", args, cwd=root, env=_env())
    output = output if output is not None else []
    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + timeout
        while not any("Serving on" in line for line in output):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("mkdocs serve did not start:\n" + "".join(output))
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=10)  # what it printed last, up to the end of the pipe
        proc.stdout.close()
