"""Terminal output: JSON for agents, rich tables and progress for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False)


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def json_ready(data: Any) -> Any:
    """``data`` as `emit_json` writes it, read back: plain JSON values only (a `Path`
    becomes its string), so the MCP tools answer exactly what `--json` prints."""
    return json.loads(json.dumps(data, ensure_ascii=False, default=str))


def table(title: str | None, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*[str(x) for x in r])
    return t


@contextmanager
def progress(description: str, total: int) -> Iterator[Any]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[item]}"),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )
    with bar:
        task = bar.add_task(description, total=total, item="")

        class _Handle:
            def advance(self, item: str = "") -> None:
                bar.update(task, advance=1, item=item)

        yield _Handle()


def clip(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut between words and ending in `…`
    when it is longer (never mid-word, unless a single word is longer than ``width``)."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:—–-") + "…"
