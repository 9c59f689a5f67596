"""Warm latency of each `refs mcp` tool on a populated library, against the CLI.

Generates the site benchmark's library (`site_library.generate`: 100 converted
sources that look real, ~8 MB of full.md, cards citing their headings, topic docs),
starts `refs mcp` as a subprocess and talks to it with the MCP SDK's client over
stdio, the way an agent does. Each request is made once to warm up (the first search
builds the index), then timed ``--runs`` times; the figure is the median round trip
(client call to parsed result). The goal is 200 ms per call.

The baseline, measured in the same run, is the same request as a `refs ... --json`
subprocess (start-up included: what an agent without MCP pays per look-up); the ratio
says how much the kept-open library and index save. Last, the latency of the first
call after an edit to a card (the server re-reads only what changed).

    .venv/bin/python bench/mcp_latency.py [--sources 100] [--runs 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import anyio
from mcp import Client, StdioServerParameters

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_library  # noqa: E402

REFS = Path(sys.executable).with_name("refs")
GOAL_MS = 200.0


def requests(root: Path) -> list[tuple[str, dict, list[str]]]:
    """(tool, arguments, the CLI arguments that print the same JSON) for each tool."""
    carded = sorted(p.stem for p in (root / "refs/resources").glob("*.md"))[0]
    return [
        ("search", {"query": "pipeline stage latency"}, ["search", "pipeline stage latency"]),
        (
            "search",
            {"query": "bubble schedule", "kind": "source", "limit": 5},
            ["search", "bubble schedule", "--kind", "source", "--limit", "5"],
        ),
        ("show", {"id": carded}, ["show", carded]),
        ("anchors", {"id": carded}, ["show", carded, "--anchors"]),
        ("cite", {"id": carded}, ["cite", carded]),
        ("cite", {"id": carded, "claim": 1}, ["cite", carded, "1"]),
        ("related", {"id": carded}, ["search", "--related", carded]),
        ("check", {"id": carded}, ["check", carded]),
        ("check", {}, ["check"]),
    ]


def label(tool: str, arguments: dict) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return f"{tool}({args})"


def cli_ms(root: Path, cli: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [str(REFS), "--root", str(root), *cli, "--json"], capture_output=True, check=False
        )
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


async def measure(root: Path, runs: int) -> tuple[list[tuple[str, float, float]], dict]:
    params = StdioServerParameters(command=str(REFS), args=["--root", str(root), "mcp"])
    rows = []
    async with Client(params) as client:
        for tool, arguments, _ in requests(root):
            first = time.perf_counter()
            result = await client.call_tool(tool, arguments)
            first_ms = (time.perf_counter() - first) * 1000
            if result.is_error:
                raise SystemExit(f"{tool} failed: {result.content[0].text}")
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                await client.call_tool(tool, arguments)
                times.append((time.perf_counter() - t) * 1000)
            rows.append((label(tool, arguments), first_ms, statistics.median(times)))
        # The first calls after an edit to a card: the card is re-read, the index
        # re-reads that one file, `check` runs the rules of that one resource.
        card = sorted((root / "refs/resources").glob("*.md"))[0]
        edited = {}
        for tool, arguments in (
            ("show", {"id": card.stem}),
            ("search", {"query": "pipeline stage latency"}),
            ("check", {}),  # that card's rules run again; every other finding is kept
        ):
            card.write_text(card.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
            t = time.perf_counter()
            await client.call_tool(tool, arguments)
            edited[label(tool, arguments)] = (time.perf_counter() - t) * 1000
    return rows, edited


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=100, help="converted sources to generate")
    ap.add_argument("--runs", type=int, default=7, help="timed calls per request")
    ap.add_argument("--cli-runs", type=int, default=3, help="timed CLI runs per request")
    ap.add_argument("--keep", type=Path, help="generate here and keep it (must not exist)")
    args = ap.parse_args(argv)
    tmp = None
    if args.keep:
        root = args.keep
        root.mkdir(parents=True)
    else:
        tmp = tempfile.mkdtemp(prefix="mcp-bench-")
        root = Path(tmp)
    try:
        facts = site_library.generate(root, args.sources)
        print(
            f"library: {facts['resources']} resources, {facts['sources']} full.md "
            f"({facts['full_md_bytes'] / 1e6:.1f} MB), {facts['cards']} cards, "
            f"{facts['topic_docs']} topic docs"
        )
        rows, edited = anyio.run(measure, root, args.runs)
        cli = {label(t, a): cli_ms(root, c, args.cli_runs) for t, a, c in requests(root)}
        width = max(len(r[0]) for r in rows)
        print(
            f"\n{'request':<{width}}  {'first':>8}  {'warm':>8}  {'CLI --json':>10}  "
            f"{'CLI/warm':>8}  goal {GOAL_MS:.0f} ms"
        )
        for name, first, warm in rows:
            verdict = "ok" if warm <= GOAL_MS else "OVER"
            print(
                f"{name:<{width}}  {first:>6.0f}ms  {warm:>6.0f}ms  {cli[name]:>8.0f}ms  "
                f"{cli[name] / warm:>7.1f}x  {verdict}"
            )
        print("\nfirst call after editing a card:")
        for name, ms in edited.items():
            print(f"  {name:<{width}}  {ms:>6.0f}ms")
        over = [r[0] for r in rows if r[2] > GOAL_MS]
        print(f"\n{len(rows) - len(over)}/{len(rows)} requests within {GOAL_MS:.0f} ms warm")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
