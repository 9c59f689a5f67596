"""The `refs` command: the pipeline's and the agent's door to the library.

Each subcommand lives in `extract/commands/<name>.py` with `register(subparsers)`;
its handler takes a `Library` and the parsed arguments and returns an exit code.
Exit codes: 0 ok, 1 findings or failures, 2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import signal
import sys
import threading
from collections.abc import Iterator
from importlib.metadata import entry_points
from typing import NoReturn

from .errors import CannotWrite, RefsError, UsageError, cannot_write
from .library import Library

COMMANDS = (
    "sync",
    "status",
    "check",
    "card",
    "fetch",
    "convert",
    "show",
    "cite",
    "search",
    "review",
    "mcp",
)


PLUGIN_GROUP = "refs.commands"  # other packages add subcommands here (the site: `refs site`)


def _plugins() -> dict:
    """{name: entry point} of the subcommands installed packages register: a module
    with `register(subparsers)`, found like MkDocs finds its plugins, so this package
    never imports the packages that extend it."""
    return {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP) if ep.name not in COMMANDS}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep its one-line style
        self.print_usage(sys.stderr)
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _chosen(argv: list[str], known: list[str]) -> list[str]:
    """The subcommand named on the line, alone: importing every command module
    (requests, bs4, ...) would triple the start-up of a quick `refs search`."""
    args = iter(argv)
    for arg in args:
        if arg == "--root":
            next(args, None)
        elif not arg.startswith("-"):
            return [arg] if arg in known else known
    return known


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="refs", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--root", help="library root (default: nearest folder with refs/manifest.yaml)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    plugins = _plugins()
    known = [*COMMANDS, *plugins]
    for name in known if argv is None else _chosen(argv, known):
        if name in plugins:
            plugins[name].load().register(sub)
        else:
            importlib.import_module(f"extract.commands.{name}").register(sub)
    return parser


class Terminated(BaseException):
    """SIGTERM, raised where the command is, so it stops as on Ctrl-C: temp files
    removed, worker processes ended (`workers.pool`), nothing half-written."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def main(argv: list[str] | None = None) -> int:
    with _sigterm_stops():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        lib = Library.open(args.root)
        return int(args.func(lib, args) or 0)
    except RefsError as exc:
        print(f"refs: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # The reader (`| head`) went away: stop quietly, as Unix tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        if not cannot_write(exc):
            raise
        # A write outside the library's one writer (a temp folder, a copied asset).
        print(f"refs: {CannotWrite(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "refs: interrupted; files already written are complete, nothing is half-written",
            file=sys.stderr,
        )
        return 130
    except Terminated:
        print(
            "refs: terminated; files already written are complete, nothing is half-written",
            file=sys.stderr,
        )
        return 143


if __name__ == "__main__":
    sys.exit(main())
