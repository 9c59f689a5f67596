"""Site speed on any library: build ratio, the plugin's share, edit -> reload, 5x scaling.

    .venv/bin/python bench/site_speed.py [--library DIR | --sources 300 | --corpus DIR]
        [--size 1.0] [--repeat 3] [--edits 3] [--scale 300] [--factor 5]
        [--scale-size 0.2] [--scale-repeat 2] [--no-ratio] [--no-serve] [--no-plain]
        [--browser] [--no-scaling]

The library is a folder (``--library``: copied to a temporary folder first, `raw/`
artifacts left out, so nothing of it is touched), the corpus converted by our converter
(``--corpus``, with generated cards), or one generated with ``--sources``
sources that look real (`site_library.generate`: LaTeX papers dense with formulas,
joined multi-page docs full of links, PDF papers, blogs, issues; cards citing headings
of several sources; topic docs), ``--size`` scaling every source's length. Its own
`mkdocs.yml` is used, else the project's (`navigation.prune` and all). Printed:

- build ratio: `mkdocs build` with the refs-library plugin against plain Material
  building the very same pages (`refs site --out`: every page the plugin makes as plain
  markdown, formulas already MathML), alternating, fastest of ``--repeat`` (median
  beside it), in wall and in CPU seconds (the steadier figure on a busy machine);
- the plugin's share: CPU seconds inside the plugin's own events plus its MathML
  worker process (which runs beside the build) over the build's CPU seconds; both
  figures for a cold build (no `.refs-cache/`, as in CI) and a warm one (the caches
  the cold build left, as the owner's next `mkdocs build`);
- edit -> reload under a real `mkdocs serve`: a card, a topic doc and a full.md edited in
  turn (``--edits`` times each); end to end is from saving the file until the served
  page shows the edit (HTTP polling of the page, what a browser's live reload waits
  for); the rebuild is what MkDocs reports for it ("Documentation built in"); then the
  same under plain Material serving the same pages, MkDocs' own part of a rebuild;
  ``--browser``: the plugin's site again, until Chromium shows the edit (the page's own
  live-reload script reloads it: page, scripts and styles fetched and parsed again);
- scaling: generated libraries of ``--scale`` and ``--factor`` x ``--scale`` sources
  (each source ``--scale-size`` of the usual length, so the large one builds in
  minutes, not hours), built with the plugin ``--scale-repeat`` times each, alternating
  (the least kept: one build's CPU seconds vary by 10-20 % between runs): wall and CPU
  time, peak RSS and output size, and their ratios (linear: at most ``--factor``).

Measured side by side in one run: the machine may be busy, so the ratios are the
figures, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_build  # noqa: E402
import site_library  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
ENV = site_build.ENV
RATIO_TARGET = 1.10
SHARE_TARGET = 0.10
END_TO_END_TARGET = 0.7
CHROMIUM = "/usr/bin/chromium"
REBUILD_TARGET = 0.3

# Run in a child process: `mkdocs build` with every event of the plugin timed.
_TIMED_BUILD = r"""
import json, resource, sys, time
from docs_gen.plugin import LibraryPlugin
spent = {}
def timed(name, method):
    def wrapper(self, *args, **kwargs):
        t0 = time.process_time()
        try:
            return method(self, *args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - t0
    wrapper.__name__ = name
    for attr in ("mkdocs_priority",):
        if hasattr(method, attr):
            setattr(wrapper, attr, getattr(method, attr))
    return wrapper
from mkdocs.plugins import CombinedEvent
for name in list(vars(LibraryPlugin)):
    method = vars(LibraryPlugin)[name]
    if isinstance(method, CombinedEvent):  # on_page_context: each of its parts timed
        setattr(LibraryPlugin, name, CombinedEvent(*(timed(name, m) for m in method.methods)))
    elif name.startswith("on_") and callable(method):
        setattr(LibraryPlugin, name, timed(name, method))
from mkdocs.__main__ import cli
t0, c0 = time.perf_counter(), time.process_time()
try:
    cli(["build", "-q", "-f", sys.argv[1], "-d", sys.argv[2]])
except SystemExit as exc:
    if exc.code:
        raise
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
child = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"wall": wall, "cpu": cpu, "events": spent,
           "worker_cpu": child.ru_utime + child.ru_stime}, open(sys.argv[3], "w"))
"""


def run_measured(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in bytes) of the process, the children it
    waited for included (the MathML worker)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode(errors='replace')[-3000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024


def tree_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def library_config(root: Path) -> Path:
    """The library's mkdocs.yml, else the project's (whose docs_dir is refs/)."""
    cfg = root / "mkdocs.yml"
    if not cfg.is_file():
        shutil.copyfile(PROJECT / "mkdocs.yml", cfg)
    return cfg


def copy_library(src: Path, dest: Path) -> Path:
    """A working copy (raw artifacts, git and built sites left out): edits go there."""
    shutil.copytree(
        src,
        dest,
        ignore=shutil.ignore_patterns("raw", ".git", "site", ".venv", "__pycache__", ".cache"),
    )
    return dest


def export(root: Path, out: Path) -> Path:
    """Every page the plugin makes, as plain markdown with a plugin-free mkdocs.yml."""
    site_build.run(
        [str(site_build.REFS), "--root", str(root), "site", "--out", str(out)],
        "refs site --out failed",
        root,
    )
    return out / "mkdocs.yml"


def timed_plugin_build(cfg: Path, site: Path, tmp: Path) -> dict:
    report = tmp / "events.json"
    code = _TIMED_BUILD
    site_build.run(
        [sys.executable, "-c", code, str(cfg), str(site), str(report)],
        f"build of {cfg} failed",
        cfg.parent,
    )
    return json.loads(report.read_text(encoding="utf-8"))


def plain_build(cfg: Path, site: Path) -> tuple[float, float]:
    """(wall, CPU seconds) of plain `mkdocs build`."""
    wall, cpu, _ = run_measured(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(site)],
        cwd=cfg.parent,
    )
    return wall, cpu


CACHES = ".refs-cache"  # the plugin's build caches: formulas, pass results, figure images
KINDS = {
    "cold": "no .refs-cache/: a clean checkout, CI",
    "warm": "the caches the cold build left: the next `mkdocs build` of the same library",
}


def ratio(root: Path, tmp: Path, repeat: int) -> None:
    """Wall and CPU seconds, each the fastest of ``repeat`` alternating runs. On a busy
    machine CPU seconds are the steadier figure (the wall clock waits for other work);
    the plugin's CPU includes its MathML worker's. The plugin builds twice a turn: cold
    (its caches removed first) and warm (right after, with what the cold build kept)."""
    cfg = library_config(root)
    same = export(root, tmp / "export")
    plains: list[tuple[float, float]] = []
    runs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for _ in range(repeat):
        plains.append(plain_build(same, tmp / "same-site"))
        shutil.rmtree(root / CACHES, ignore_errors=True)
        for kind in KINDS:
            runs[kind].append(timed_plugin_build(cfg, tmp / "plugin-site", tmp))
    for kind, plugins in runs.items():
        print(f"  {kind} ({KINDS[kind]}):")
        _print_ratio(plains, plugins)


def _print_ratio(plains: list[tuple[float, float]], plugins: list[dict]) -> None:
    for i, what in enumerate(("wall", "CPU")):
        base = [x[i] for x in plains]
        ours = [t["wall"] if i == 0 else t["cpu"] + t["worker_cpu"] for t in plugins]
        r = min(ours) / min(base)
        med = statistics.median(ours) / statistics.median(base)
        flag = "" if r <= RATIO_TARGET else "  ABOVE TARGET"
        print(
            f"    {what:4s} plain Material {min(base):7.2f} s, refs-library {min(ours):7.2f} s:"
            f" ratio {r:.2f} of the fastest, {med:.2f} of the medians"
            f" (target <= {RATIO_TARGET}){flag}   runs: {site_build._runs(base)} /"
            f" {site_build._runs(ours)}"
        )
    shares = [
        (sum(t["events"].values()) + t["worker_cpu"]) / (t["cpu"] + t["worker_cpu"])
        for t in plugins
    ]
    best = min(plugins, key=lambda t: t["cpu"] + t["worker_cpu"])
    ours = sum(best["events"].values()) + best["worker_cpu"]
    total = best["cpu"] + best["worker_cpu"]
    share = ours / total
    flag = "" if share <= SHARE_TARGET else "  ABOVE TARGET"
    print(
        f"    plugin's share of the build's CPU: {share:.1%} ({ours:.2f} s of {total:.2f} s,"
        f" of which the MathML worker {best['worker_cpu']:.2f} s; target <= "
        f"{SHARE_TARGET:.0%}){flag}   runs: {', '.join(f'{x:.1%}' for x in shares)}"
    )
    top = sorted(best["events"].items(), key=lambda kv: -kv[1])[:5]
    print("      by event: " + ", ".join(f"{k} {v:.2f} s" for k, v in top))


def edit_targets(root: Path) -> dict[str, tuple[Path, str]]:
    """{kind: (file, its page's URL path)}: the first card, topic doc and full.md."""
    out = {}
    cards = sorted((root / "refs/resources").glob("*.md"))
    cards = [c for c in cards if c.name not in ("index.md", "README.md")]
    if cards:
        out["card"] = (cards[0], f"refs/resources/{cards[0].stem}/")
    topics = [t for t in sorted((root / "refs/topics").glob("*.md")) if t.name != "index.md"]
    if topics:
        out["topic doc"] = (topics[0], f"refs/topics/{topics[0].stem}/")
    sources = sorted((root / "sources").glob("*/full.md"))
    if sources:
        src = sources[len(sources) // 2]
        out["full.md"] = (src, f"sources/{src.parent.name}/full/")
    return out


def serve_edits(
    cfg: Path, edits: int, docs: Path, timeout: float = 600, browser=None
) -> dict[str, tuple[list, list]]:
    """{kind: ([end-to-end seconds], [rebuild seconds MkDocs reports])} under `mkdocs serve`,
    editing the files under ``docs`` (the library's root, or an export's pages).
    ``browser``: a Playwright page: end to end is until Chromium, reloaded by the page's
    own live-reload script, shows the edit (its reload: the page and its scripts and
    styles fetched again, parsed, laid out), not until the HTTP answer holds it."""
    targets = edit_targets(docs)
    proc, base, lines, said = site_build.start_serve(cfg)
    out: dict[str, tuple[list, list]] = {k: ([], []) for k in targets}
    built = re.compile(r"Documentation built in ([\d.]+) seconds")
    session = time.time_ns() % 10**9  # each session's markers its own (same files again)
    try:
        t0 = time.perf_counter()
        while "Serving on" not in lines.get(timeout=timeout):
            if proc.poll() is not None:
                raise SystemExit("mkdocs serve exited:\n" + "".join(said[-15:]))
        print(f"  mkdocs serve: first build served after {time.perf_counter() - t0:.2f} s")
        time.sleep(1.0)  # let the watcher take its first look
        for n in range(edits):
            for what, (path, url) in targets.items():
                marker = f"Bench edit {n} of the {what.replace(' ', '-')} in session {session}"
                page = site_build._get(base + url)
                found = re.search(r"livereload\((\d+),", page)
                if not found:
                    raise SystemExit(f"{base + url} is not a served page")
                epoch = int(found.group(1))
                text = path.read_text(encoding="utf-8")
                while not lines.empty():
                    lines.get_nowait()
                if browser is not None:
                    browser.goto(base + url, wait_until="load", timeout=timeout * 1000)
                t1 = time.perf_counter()
                path.write_text(text + f"\n{marker}.\n", encoding="utf-8")
                deadline = t1 + timeout
                if browser is not None:
                    shown = f"document.body && document.body.innerText.includes({marker!r})"
                    browser.wait_for_function(shown, timeout=timeout * 1000, polling="raf")
                while browser is None:  # what the live-reload script waits for, then the page
                    epoch = int(site_build._get(base + f"livereload/{epoch}/{n}") or epoch)
                    if marker in site_build._get(base + url):
                        break
                    if time.perf_counter() > deadline or proc.poll() is not None:
                        tail = "".join(said[-15:])
                        raise SystemExit(f"edit of {path} never showed at {base + url}:\n{tail}")
                out[what][0].append(time.perf_counter() - t1)
                # The page can show the edit before the reader thread has taken
                # MkDocs' "built in" line (inotify: no polling slack): wait for it.
                said_by = time.perf_counter() + 5
                while (left := said_by - time.perf_counter()) > 0:
                    try:
                        line = lines.get(timeout=left)
                    except queue.Empty:
                        break
                    if m := built.search(line):
                        out[what][1].append(float(m.group(1)))
                        break
                # A person does not save twice within a second, nor in step with MkDocs'
                # 0.5 s polling: a random pause, so each edit meets the poll at a random
                # moment (a fixed one locks every edit of a kind to one phase of it).
                time.sleep(0.7 + random.random() * 0.5)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return out


def serve(root: Path, tmp: Path, edits: int, plain: bool = True, browser: bool = False) -> None:
    """The plugin's site, then (``plain``) plain Material serving the same pages (`refs
    site --out`): MkDocs' own share of a rebuild, which no plugin can remove; with
    ``browser``, the plugin's site once more, until Chromium shows each edit."""
    runs = [("refs-library", library_config(root), root)]
    if browser:
        runs.append(("refs-library, until Chromium shows it", library_config(root), root))
    if plain:
        export_dir = tmp / "export"
        if not export_dir.is_dir():
            export(root, export_dir)
        runs.append(("plain Material, same pages", export_dir / "mkdocs.yml", export_dir / "docs"))
    for name, cfg, docs in runs:
        print(f"  {name}:")
        try:
            if name.endswith("Chromium shows it"):
                times = _in_chromium(lambda page, cfg=cfg, docs=docs: serve_edits(
                    cfg, edits, docs, browser=page
                ))  # fmt: skip
            else:
                times = serve_edits(cfg, edits, docs)
        except SystemExit as exc:
            if docs == root:
                raise
            # Plain Material rebuilds every page on each save: on a busy machine that
            # may outlast the wait; the plugin's figures above stand on their own.
            print(f"    not measured: {str(exc).splitlines()[0]}")
            continue
        for what, (ends, rebuilds) in times.items():
            end = statistics.median(ends)
            reb = statistics.median(rebuilds) if rebuilds else 0.0
            flag = "" if end <= END_TO_END_TARGET and reb <= REBUILD_TARGET else "  ABOVE TARGET"
            print(
                f"    {what:9s} end to end median {end:.2f} s (target <= {END_TO_END_TARGET}),"
                f" rebuild median {reb:.2f} s (target <= {REBUILD_TARGET}){flag}   runs:"
                f" {site_build._runs(ends)} / {site_build._runs(rebuilds)}"
            )


def _in_chromium(measure):
    """``measure(page)`` with a page of the system's Chromium (headless, Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            return measure(chromium.new_page())
        finally:
            chromium.close()


def scaling(tmp: Path, small: int, factor: int, size: float, repeat: int = 2) -> None:
    """Build each library ``repeat`` times, alternating, and keep each one's least wall,
    CPU and peak RSS: one build of the large library varied by 10-20 % in CPU seconds
    between runs on a quiet machine (a shared VM), more than the ratio's margin."""
    sizes = (small, small * factor)
    built: dict[int, tuple[Path, dict]] = {}
    for n in sizes:
        root = tmp / f"scale-{n}"
        root.mkdir()
        built[n] = (root, site_library.generate(root, n, size=size))
    runs: dict[int, list[tuple[float, float, int, int, int]]] = {n: [] for n in sizes}
    for _ in range(repeat):
        for n in sizes:
            root, _facts = built[n]
            cfg = library_config(root)
            site = tmp / f"scale-{n}-site"
            shutil.rmtree(root / CACHES, ignore_errors=True)  # every build a cold one
            secs, cpu, rss = run_measured(
                [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(site)],
                cwd=root,
            )
            pages = sum(1 for _ in site.rglob("index.html"))
            runs[n].append((secs, cpu, rss, tree_bytes(site), pages))
            shutil.rmtree(site)
    rows = []
    for n in sizes:
        secs, cpu, rss = (min(r[i] for r in runs[n]) for i in range(3))
        out, pages = runs[n][-1][3], runs[n][-1][4]
        rows.append((n, secs, cpu, rss, out))
        print(
            f"  {n:5d} sources ({built[n][1]['full_md_bytes'] / 1e6:.1f} MB of full.md, {pages}"
            f" pages): {secs:7.2f} s wall, {cpu:7.2f} s CPU, peak RSS {rss / 1e6:7.1f} MB,"
            f" output {out / 1e6:7.1f} MB   (least of {repeat}; CPU runs:"
            f" {', '.join(f'{r[1]:.2f}' for r in runs[n])})"
        )
        shutil.rmtree(built[n][0])
    (_, t0, c0, m0, o0), (_, t1, c1, m1, o1) = rows
    for what, a, b in (
        ("wall time", t0, t1), ("CPU time", c0, c1), ("peak RSS", m0, m1),
        ("output size", o0, o1),
    ):  # fmt: skip
        r = b / a
        flag = "" if r <= factor else "  ABOVE TARGET"
        print(f"  {factor}x the library: {what} x{r:.2f} (linear: <= {factor}){flag}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--library", type=Path, help="a library folder (copied, never edited)")
    what.add_argument("--sources", type=int, default=300, help="else generate this many")
    what.add_argument(
        "--corpus",
        type=Path,
        help="or the corpus folder (../shared/corpus): its raw artifacts converted by our "
        "converter, with generated cards citing their headings (read, never copied)",
    )
    ap.add_argument("--size", type=float, default=1.0, help="length of a generated source, x")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--scale", type=int, default=300, help="sources of the smaller library")
    ap.add_argument("--factor", type=int, default=5)
    ap.add_argument("--scale-size", type=float, default=0.2)
    ap.add_argument(
        "--scale-repeat", type=int, default=2, help="builds of each scaled library (least kept)"
    )
    ap.add_argument("--no-ratio", action="store_true")
    ap.add_argument("--no-serve", action="store_true")
    ap.add_argument(
        "--no-plain", action="store_true", help="edit -> reload of the plugin's site only"
    )
    ap.add_argument(
        "--browser",
        action="store_true",
        help="edit -> reload also until Chromium, reloaded by the page's own script, shows it",
    )
    ap.add_argument("--no-scaling", action="store_true")
    args = ap.parse_args()
    if args.scale_repeat < 1 or args.repeat < 1:
        ap.error("--repeat and --scale-repeat must be at least 1")
    if args.library is not None and not (args.library / "refs").is_dir():
        raise SystemExit(f"{args.library}: not a library (no refs/ folder); give its root")
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="site-speed-") as tmp:
        tmp = Path(tmp)
        if not (args.no_ratio and args.no_serve):
            root = tmp / "library"
            if args.library is not None:
                copy_library(args.library, root)
                print(f"library: {args.library}")
            elif args.corpus is not None:
                if not args.corpus.is_dir():
                    raise SystemExit(f"{args.corpus}: no such folder (the corpus is optional)")
                root.mkdir()
                facts = site_library.from_texts(root, site_library.corpus_sources(args.corpus))
                print(f"corpus library ({args.corpus}): {site_build.describe(facts)}")
            else:
                root.mkdir()
                facts = site_library.generate(root, args.sources, size=args.size)
                print(f"generated library: {site_build.describe(facts)}")
            if not args.no_ratio:
                print("build with the plugin vs plain Material on the same pages:")
                ratio(root, tmp, args.repeat)
            if not args.no_serve:
                print("edit -> reload under mkdocs serve:")
                serve(root, tmp, args.edits, plain=not args.no_plain, browser=args.browser)
        if not args.no_scaling:
            print(
                f"scaling: {args.scale} and {args.scale * args.factor} generated sources, "
                f"{args.scale_size}x the usual length each:"
            )
            scaling(tmp, args.scale, args.factor, args.scale_size, args.scale_repeat)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
