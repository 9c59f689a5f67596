"""Where a served rebuild's time goes, per file kind: the plugin's share and MkDocs's.

    .venv/bin/python bench/serve_rebuild.py [--library DIR | --sources 30] [--edits 3]

Runs what `mkdocs serve` runs on each change, in this process: a fresh config, the
plugin instance MkDocs keeps, `build` with the serve URL into a temporary site folder.
After a first build and one rebuild with nothing changed, it edits a card, a topic doc
and a full.md in turn (``--edits`` times each, plus a rebuild with no edit) and prints
per kind the median CPU seconds of the rebuild, split into what the refs-library
plugin's events spend and what MkDocs and Material spend, phase by phase (each phase
without the plugin events inside it): loading the config, emptying the site folder,
listing the theme, reading and converting pages, themed pages and their writing,
static files, the search plugin. CPU seconds, not wall: the machine is shared.

What `bench/site_speed.py` measures end to end adds to these the time until the edit is
seen (at once from inotify, docs_gen/reload_server.py; up to 0.5 s with MkDocs' own
polling, `poll_for_edits: true`), MkDocs' 0.1 s wait for quiet and the disk's time to
empty and refill the site folder; the rebuild it prints is MkDocs' own "built in" wall.
The library is copied (``--library``, `raw/` left out) or generated (``--sources``).
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_library  # noqa: E402
import site_speed  # noqa: E402

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import mkdocs.commands.build as mkdocs_build  # noqa: E402
from material.plugins.search.plugin import SearchPlugin  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.plugins import CombinedEvent  # noqa: E402
from mkdocs.structure.files import Files  # noqa: E402

from docs_gen.plugin import LibraryPlugin  # noqa: E402

SERVE_URL = "http://127.0.0.1:8000/"


class Clock:
    """CPU seconds per named phase, each without the named phases inside it."""

    def __init__(self) -> None:
        self.spent: collections.Counter[str] = collections.Counter()
        self.stack: list[list] = []  # [name, start, time of the phases inside]

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            self.stack.append([name, time.process_time(), 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                _, start, inner = self.stack.pop()
                whole = time.process_time() - start
                self.spent[name] += whole - inner
                if self.stack:
                    self.stack[-1][2] += whole

        for attr in ("mkdocs_priority", "__name__"):
            if hasattr(fn, attr):
                setattr(timed, attr, getattr(fn, attr))
        return timed


def instrument(clock: Clock) -> None:
    """Time MkDocs' build phases and the events of the refs-library and search plugins."""
    phases = {
        "_populate_page": "MkDocs: read and convert pages",
        "_build_page": "MkDocs: themed pages, written",
        "_build_theme_template": "MkDocs: 404 page and sitemap",
        "get_files": "MkDocs: list docs_dir",
        "get_navigation": "MkDocs: nav",
    }
    for attr, name in phases.items():
        setattr(mkdocs_build, attr, clock.wrap(name, getattr(mkdocs_build, attr)))
    mkdocs_build.utils.clean_directory = clock.wrap(
        "MkDocs: empty the site folder", mkdocs_build.utils.clean_directory
    )
    Files.add_files_from_theme = clock.wrap(
        "MkDocs: list the theme's files", Files.add_files_from_theme
    )
    Files.copy_static_files = clock.wrap("MkDocs: copy static files", Files.copy_static_files)
    for cls, who in ((LibraryPlugin, "refs-library"), (SearchPlugin, "Material search")):
        for attr, method in list(vars(cls).items()):
            if isinstance(method, CombinedEvent):  # the plugin's on_page_context parts
                parts = (clock.wrap(f"{who} {attr}", m) for m in method.methods)
                setattr(cls, attr, CombinedEvent(*parts))
            elif attr.startswith("on_") and callable(method) and attr != "on_page_context":
                setattr(cls, attr, clock.wrap(f"{who} {attr}", method))
    # The search plugin indexes pages in its on_page_context (a plain method there).
    SearchPlugin.on_page_context = clock.wrap(
        "Material search on_page_context", vars(SearchPlugin)["on_page_context"]
    )


def run(root: Path, edits: int) -> dict[str, list[collections.Counter]]:
    clock = Clock()
    instrument(clock)
    cfg = site_speed.library_config(root)
    site_dir = Path(tempfile.mkdtemp(prefix="serve-rebuild-site-"))

    def rebuild() -> collections.Counter:
        clock.spent.clear()
        start = time.process_time()
        config = clock.wrap("MkDocs: load the config", load_config)(
            config_file=str(cfg), site_dir=str(site_dir)
        )
        config.site_url = SERVE_URL
        config.plugins.on_startup(command="serve", dirty=False)
        mkdocs_build.build(config, serve_url=SERVE_URL)
        spent = collections.Counter(clock.spent)
        spent["total"] = time.process_time() - start
        spent["MkDocs: the rest of its build"] = spent["total"] - sum(
            v for k, v in clock.spent.items()
        )
        return spent

    try:
        t0 = time.perf_counter()
        rebuild()
        print(f"  first build: {time.perf_counter() - t0:.1f} s wall")
        rebuild()  # warm: what every later rebuild keeps is kept now
        targets = site_speed.edit_targets(root)
        out: dict[str, list[collections.Counter]] = {"no edit": []}
        out.update({k: [] for k in targets})
        for n in range(edits):
            out["no edit"].append(rebuild())
            for what, (path, _url) in targets.items():
                path.write_text(
                    path.read_text(encoding="utf-8") + f"\nServe rebuild edit {n}.\n",
                    encoding="utf-8",
                )
                out[what].append(rebuild())
        return out
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def report(results: dict[str, list[collections.Counter]]) -> None:
    for what, runs in results.items():
        keys = set().union(*runs)
        med = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in keys}
        total = med.pop("total")
        ours = sum(v for k, v in med.items() if k.startswith("refs-library"))
        print(
            f"  {what:9s} rebuild CPU {total:.3f} s (median of {len(runs)}): refs-library"
            f" {ours:.3f} s ({ours / total:.0%}), MkDocs and Material {total - ours:.3f} s"
        )
        top = sorted(((v, k) for k, v in med.items() if v >= 0.003), reverse=True)
        print("    " + ", ".join(f"{k} {v:.3f}" for v, k in top))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--library", type=Path, help="a library folder (copied, never edited)")
    what.add_argument("--sources", type=int, default=30, help="else generate this many")
    ap.add_argument("--edits", type=int, default=3)
    args = ap.parse_args()
    if args.library is not None and not (args.library / "refs").is_dir():
        raise SystemExit(f"{args.library}: not a library (no refs/ folder); give its root")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="serve-rebuild-") as tmp:
        root = Path(tmp) / "library"
        if args.library is not None:
            site_speed.copy_library(args.library, root)
            print(f"library: {args.library}")
        else:
            root.mkdir()
            facts = site_library.generate(root, args.sources)
            print(f"generated library: {site_speed.site_build.describe(facts)}")
        cwd = os.getcwd()
        os.chdir(root)
        try:
            report(run(root, args.edits))
        finally:
            os.chdir(cwd)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
