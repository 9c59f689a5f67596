"""Site build benchmark: the plugin against plain MkDocs on the same markdown.

Generates a large library in a temp dir (>= 88 resources, >= 5 MB of full.md, >= 400
citations), builds it with the refs-library plugin and, in the same run, builds the same
markdown files as plain pages with a bare Material config; prints both times and their
ratio (target <= 1.25). Then measures an edit-reload under `mkdocs serve`: start it on a
free port, wait for the first build, touch a card, time until the rebuild is served.

    .venv/bin/python bench/site_build.py [--resources 96] [--mb 5.5]
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from extract.anchors import headings

WORDS = (
    "stage micro-batch bubble schedule activation tensor stream event graph kernel "
    "launch latency bandwidth throughput rank collective denoise frame window cache"
).split()


def paragraph(seed: int, words: int = 90) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(words)).capitalize() + "."


def full_md(rid: str, title: str, size: int) -> str:
    parts = [
        "---",
        f'title: "{title}"',
        f"source_url: https://example.org/{rid}",
        "fetch_date: 2026-01-01",
        "source_type: paper",
        'author: "Bench"',
        'conversion_notes: "generated"',
        "---",
        "",
        f"# {title}",
        "",
    ]
    n = 0
    while sum(len(p) + 1 for p in parts) < size:
        n += 1
        parts += [f"## Section {n % 12}: {WORDS[n % len(WORDS)]} & more", ""]
        parts += [paragraph(n + i) + "\n" for i in range(5)]
        if n % 4 == 0:
            parts += ["$$", f"T_{{{n}}} = (m + p - 1) \\cdot t_{{{n}}}", "$$", ""]
        if n % 5 == 0:
            parts += [
                "```python",
                f"def step_{n}(x):",
                "    return x  # ## not a heading",
                "```",
                "",
            ]
        parts += [f"Inline math $b_{{{n}}} = \\frac{{p-1}}{{m+p-1}}$ here.", ""]
    return "\n".join(parts)


def card(rid: str, title: str, anchors: list[str], cites: int) -> str:
    lines = [f"# {title}", "", "| Field | Value |", "|---|---|", "| Type | paper |", ""]
    lines += ["## Why it matters", "", paragraph(len(rid)), "", "## Core claims", ""]
    for i in range(cites):
        a = anchors[(i * 5) % len(anchors)]
        prefix = ("", "../", "../../")[i % 3]
        lines += [
            f"{i + 1}. **Claim**: {paragraph(i, 20)}",
            f"   **Evidence**: [{a}]({prefix}sources/{rid}/full.md#{a})",
            "",
        ]
    lines += ["## Related resources", "", "- none", ""]
    return "\n".join(lines)


def make_library(root: Path, resources: int, mb: float) -> dict:
    topics = 24
    per = int(mb * 1_000_000 / resources) + 1
    cur = ["# Bench curriculum", "", "Generated for the site benchmark.", ""]
    man = [
        "reading_order:",
        "  - step: 1",
        "    title: Start",
        "    ids: [r000, r001, r002]",
        "resources:",
    ]
    cites_total, bytes_total = 0, 0
    (root / "refs/resources").mkdir(parents=True)
    (root / "refs/topics").mkdir(parents=True)
    for t in range(1, topics + 1):
        if t % 4 == 1:
            cur += [f"## Group {t // 4 + 1}", ""]
        cur += [f"### {t}. Topic {t} — generated", "", f"Intro of topic {t}.", ""]
        for i in range(resources):
            if i % topics == t - 1:
                rid = f"r{i:03d}"
                cur += [
                    f"- **Resource {i}** (Bench) — Description {i}. *(paper, {'high' if i % 5 == 0 else 'medium'})*",
                    f"  - https://example.org/{rid}",
                ]
                man += [
                    f"  - id: {rid}",
                    f"    title: Resource {i}",
                    f"    urls: [https://example.org/{rid}]",
                    "    type: paper",
                    f"    topics: [{t}]",
                    f"    priority: {'high' if i % 5 == 0 else 'medium'}",
                    "    status: converted",
                    "    local_paths: []",
                    "    notes: ''",
                ]
                text = full_md(rid, f"Resource {i}", per)
                src = root / "sources" / rid
                src.mkdir(parents=True)
                (src / "full.md").write_text(text, encoding="utf-8")
                bytes_total += len(text.encode())
                anchors = [h.anchor for h in headings(text)]
                n = 5
                (root / f"refs/resources/{rid}.md").write_text(
                    card(rid, f"Resource {i}", anchors, n), encoding="utf-8"
                )
                cites_total += n
        cur.append("")
        (root / f"refs/topics/{t:02d}-topic-{t}.md").write_text(
            f"# Topic {t}\n\n## Synthesis\n\n{paragraph(t)}\n", encoding="utf-8"
        )
    cur += ["## Suggested reading order", "", "1. **Start** — `r000`, `r001`, `r002`", ""]
    (root / "distributed_video_dit_inference.md").write_text("\n".join(cur), encoding="utf-8")
    (root / "refs/manifest.yaml").write_text("\n".join(man) + "\n", encoding="utf-8")
    return {"resources": resources, "full_md_bytes": bytes_total, "citations": cites_total}


EXTENSIONS = """\
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


def timed_build(cfg: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    t0 = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(cfg), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"build of {cfg} failed:\n{r.stderr[-3000:]}")
    return elapsed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit_reload(cfg: Path, card_path: Path, timeout: float = 300) -> tuple[float, float]:
    """(first build seconds, edit-to-reload seconds) under `mkdocs serve`."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=cfg.parent,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()

    def wait_for(pattern: str) -> None:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if proc.poll() is not None:
                    raise SystemExit("mkdocs serve exited") from None
                continue
            if re.search(pattern, line):
                return
        raise SystemExit(f"timed out waiting for {pattern!r}")

    try:
        wait_for(r"Serving on")
        first = time.perf_counter() - t0
        time.sleep(1.0)  # let the watcher settle
        t1 = time.perf_counter()
        card_path.write_text(
            card_path.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8"
        )
        wait_for(r"Documentation built in")
        return first, time.perf_counter() - t1
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--resources", type=int, default=96)
    ap.add_argument("--mb", type=float, default=5.5)
    ap.add_argument("--no-serve", action="store_true", help="skip the edit-reload measure")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        tmp = Path(tmp)
        root = tmp / "lib"
        root.mkdir()
        facts = make_library(root, args.resources, args.mb)
        print(
            f"library: {facts['resources']} resources, {facts['full_md_bytes'] / 1e6:.2f} MB of "
            f"full.md, {facts['citations']} citations"
        )
        cfg = plugin_config(root)
        plain = plain_config(root, tmp / "plain")
        t_plain = timed_build(plain, tmp / "plain-site")
        t_plugin = timed_build(cfg, tmp / "plugin-site")
        ratio = t_plugin / t_plain
        print(f"plain Material build: {t_plain:.2f} s")
        print(f"refs-library build:   {t_plugin:.2f} s")
        print(f"ratio: {ratio:.2f} (target <= 1.25){'' if ratio <= 1.25 else '  ABOVE TARGET'}")
        if not args.no_serve:
            first, reload_s = edit_reload(cfg, root / "refs/resources/r000.md")
            print(f"mkdocs serve: first build served after {first:.2f} s")
            print(f"edit-reload (card touched -> rebuilt): {reload_s:.2f} s")


if __name__ == "__main__":
    main()
