"""Site build benchmark: the plugin against plain Material, and edit -> reload.

Two libraries, each built with the refs-library plugin and, in the same run, as plain
Material pages (the same markdown files, the same extensions, no plugin):

- generated: 100 sources that look real (`site_library.generate`: LaTeX papers dense
  with formulas, joined multi-page docs full of links and code, PDF papers, blogs,
  issues; cards citing headings of several sources with quotes; topic docs);
- corpus: the real artifacts in `../shared/corpus` converted by our converter (the
  same `convert_one` as `refs convert`), with generated cards citing their headings.
  Skipped when the corpus folder is absent.

Two baselines, both printed:

- repo markdown: the library's own files (cards, topic docs, full.md, curriculum)
  as plain pages. The plugin's site has more pages than that (the dashboard, topic
  pages the library has no doc for, the catalog, a page per resource with no card,
  indexes), so this ratio also counts MkDocs and Material rendering those pages;
- same pages: every page the plugin makes, written by `refs site --out` as plain
  markdown and built by plain Material. This ratio is what the plugin's own work
  (planning, evidence, headings, sanitising, MathML, exports) adds to a site of the
  same size.

Builds alternate (plain, plugin, plain, ...) and each figure is the fastest of
``--repeat`` runs (the median is printed beside it), so a busy machine slows both
alike. Then `mkdocs serve` on the
generated library: after the first build, edit a card, a topic doc and a full.md in
turn (``--edits`` times each) and time each edit until the served page shows it
(HTTP polling of the page, what a reader's live reload waits for).

    .venv/bin/python bench/site_build.py [--sources 100] [--repeat 3] [--edits 5]
        [--corpus ../shared/corpus] [--no-serve]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_library  # noqa: E402

REFS = Path(sys.executable).with_name("refs")
RATIO_TARGET = 1.10
RELOAD_TARGET = 1.0
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")

# The extensions of the library's own mkdocs.yml.
EXTENSIONS = """\
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - footnotes
  - def_list
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight:
      anchor_linenums: true
  - pymdownx.inlinehilite
  - pymdownx.tasklist
"""


def plugin_config(root: Path) -> Path:
    (root / "site_docs").mkdir(exist_ok=True)
    cfg = root / "mkdocs.yml"
    cfg.write_text(
        "site_name: Bench\ndocs_dir: site_docs\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - refs-library\n" + EXTENSIONS,
        encoding="utf-8",
    )
    return cfg


def plain_config(root: Path, plain: Path) -> Path:
    """The same markdown files as ordinary pages, bare Material, no plugin."""
    docs = plain / "docs"
    for pattern in ("refs/resources/*.md", "refs/topics/*.md", "sources/*/full.md"):
        for f in root.glob(pattern):
            dest = docs / f.relative_to(root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, dest)
    shutil.copyfile(root / "distributed_video_dit_inference.md", docs / "index.md")
    cfg = plain / "mkdocs.yml"
    cfg.write_text(
        "site_name: Plain\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        + EXTENSIONS
        + "validation:\n  links:\n    not_found: info\n    anchors: info\n",
        encoding="utf-8",
    )
    return cfg


def run(command: list[str], failed: str, cwd: Path | None = None) -> None:
    """Run a bench step in its own process (ENV); a failure stops the bench with
    ``failed`` and the end of what the step printed on stderr."""
    r = subprocess.run(command, capture_output=True, text=True, env=ENV, check=False, cwd=cwd)
    if r.returncode != 0:
        raise SystemExit(f"{failed}:\n{r.stderr[-3000:]}")


def timed_build(cfg: Path, site: Path) -> float:
    t0 = time.perf_counter()
    run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(site)],
        f"build of {cfg} failed",
    )
    return time.perf_counter() - t0


def export_config(root: Path, out: Path) -> Path:
    """Every page the plugin makes, as plain markdown with a plugin-free mkdocs.yml."""
    cfg = plugin_config(root)
    run(
        [str(REFS), "--root", str(root), "site", "--out", str(out)],
        "refs site --out failed",
        cfg.parent,
    )
    return out / "mkdocs.yml"


def _runs(xs: list[float]) -> str:
    return ", ".join(f"{x:.2f}" for x in xs)


def ratio(name: str, root: Path, tmp: Path, repeat: int) -> tuple[float, float]:
    """(plugin / plain repo markdown, plugin / plain same pages), fastest runs."""
    plain = plain_config(root, tmp / f"{name}-plain")
    same = export_config(root, tmp / f"{name}-export")
    cfg = plugin_config(root)
    plains, sames, plugins = [], [], []
    for _ in range(repeat):
        plains.append(timed_build(plain, tmp / f"{name}-plain-site"))
        sames.append(timed_build(same, tmp / f"{name}-same-site"))
        plugins.append(timed_build(cfg, tmp / f"{name}-plugin-site"))
    # The fastest run is the least disturbed by other work on the machine; the median
    # is printed beside it.
    p, s, q = min(plains), min(sames), min(plugins)
    print(f"  plain Material, repo markdown: {p:6.2f} s   (runs: {_runs(plains)})")
    print(f"  plain Material, same pages:    {s:6.2f} s   (runs: {_runs(sames)})")
    print(f"  refs-library build:            {q:6.2f} s   (runs: {_runs(plugins)})")
    out = []
    for label, base, runs in (("repo markdown", p, plains), ("same pages", s, sames)):
        r = q / base
        med = statistics.median(plugins) / statistics.median(runs)
        flag = "" if r <= RATIO_TARGET else "  ABOVE TARGET"
        print(
            f"  ratio against {label}: {r:.2f} of the fastest runs, {med:.2f} of the medians"
            f" (target <= {RATIO_TARGET}){flag}"
        )
        out.append(r)
    return out[0], out[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=90) as r:  # 127.0.0.1 only
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def start_serve(
    cfg: Path,
) -> tuple[subprocess.Popen[str], str, queue.Queue[str], list[str]]:
    """`mkdocs serve` of ``cfg`` on a free local port: (process, base URL, a queue of its
    output lines as they come, and the list of all it said). A thread drains its output
    so the server never blocks on a full pipe."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=ENV,
        cwd=cfg.parent,
    )
    lines: queue.Queue[str] = queue.Queue()
    said: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            said.append(line)
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return proc, f"http://127.0.0.1:{port}/", lines, said


def edit_reload(cfg: Path, edits: int, timeout: float = 120) -> dict[str, list[float]]:
    """{what: [seconds from saving the file to the served page showing the edit]}."""
    root = cfg.parent
    card = sorted((root / "refs/resources").glob("*.md"))[0]
    topic = sorted((root / "refs/topics").glob("*.md"))[0]
    source = sorted((root / "sources").glob("*/full.md"))[len(card.stem) % 7]
    targets = {
        "card": (card, f"refs/resources/{card.stem}/"),
        "topic doc": (topic, f"refs/topics/{topic.stem}/"),
        "full.md": (source, f"sources/{source.parent.name}/full/"),
    }
    proc, base, lines, said = start_serve(cfg)
    out: dict[str, list[float]] = {k: [] for k in targets}
    try:
        t0 = time.perf_counter()
        while "Serving on" not in lines.get(timeout=timeout):
            if proc.poll() is not None:
                raise SystemExit("mkdocs serve exited")
        print(f"  mkdocs serve: first build served after {time.perf_counter() - t0:.2f} s")
        time.sleep(1.0)  # let the watcher take its first look
        for n in range(edits):
            for what, (path, url) in targets.items():
                marker = f"Bench edit {n} of the {what.replace(' ', '-')}"
                page = _get(base + url)
                epoch = int(re.search(r"livereload\((\d+),", page).group(1))
                text = path.read_text(encoding="utf-8")
                t1 = time.perf_counter()
                path.write_text(text + f"\n{marker}.\n", encoding="utf-8")
                deadline = t1 + timeout
                # What a browser does: its live-reload request returns once a newer build
                # is visible, then it reloads; a build begun before the save does not show
                # the edit, so wait for the next one.
                while True:
                    epoch = int(_get(base + f"livereload/{epoch}/{n}") or epoch)
                    if marker in _get(base + url):
                        break
                    if time.perf_counter() > deadline or proc.poll() is not None:
                        tail = "".join(said[-15:])
                        raise SystemExit(f"edit of {path} never showed at {base + url}:\n{tail}")
                out[what].append(time.perf_counter() - t1)
                time.sleep(0.7)  # a person does not save twice within a second
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def describe(facts: dict) -> str:
    return (
        f"{facts['sources']} sources ({facts['resources']} resources), "
        f"{facts['full_md_bytes'] / 1e6:.2f} MB of full.md, ~{facts['formulas']} formulas, "
        f"{facts['cards']} cards, {facts['topic_docs']} topic docs"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared/corpus"
    )
    ap.add_argument("--no-serve", action="store_true", help="skip the edit -> reload measure")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        tmp = Path(tmp)
        gen = tmp / "generated"
        gen.mkdir()
        facts = site_library.generate(gen, args.sources)
        print(f"generated library: {describe(facts)}")
        ratio("generated", gen, tmp, args.repeat)
        if args.corpus.is_dir():
            lib = tmp / "corpus"
            lib.mkdir()
            texts = site_library.corpus_sources(args.corpus)
            print(
                f"corpus library ({args.corpus}): {describe(site_library.from_texts(lib, texts))}"
            )
            ratio("corpus", lib, tmp, args.repeat)
        else:
            print(f"corpus folder {args.corpus} not found: corpus library skipped")
        if not args.no_serve:
            print("edit -> reload under mkdocs serve, generated library:")
            times = edit_reload(plugin_config(gen), args.edits)
            for what, xs in times.items():
                med = statistics.median(xs)
                flag = "" if med <= RELOAD_TARGET else "  ABOVE TARGET"
                print(
                    f"  {what:10s} median {med:.2f} s (target <= {RELOAD_TARGET}){flag}   "
                    f"runs: {', '.join(f'{x:.2f}' for x in xs)}"
                )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
