"""`refs site`: the library's site as a folder of plain pages, or built and served.

Registered into the `refs` command through the `refs.commands` entry point (see
pyproject.toml), so `extract` never imports the site package: the dependency stays
one-way, as MkDocs plugins are found.

    refs site --out DIR      every page as markdown plus assets and a plain mkdocs.yml
    refs site --build [DIR]  `mkdocs build --strict` of the library (the plugin's site)
    refs site --serve        `mkdocs serve` of the library

`--build` and `--serve` run MkDocs with Material's end-of-life banner turned off
(`NO_MKDOCS_2_WARNING=1`): the notice is for site maintainers, not for each build.
"""

from __future__ import annotations

import os
import subprocess
import sys

from extract.errors import UsageError
from extract.output import console, emit_json, err_console

QUIET_MATERIAL = {"NO_MKDOCS_2_WARNING": "1"}


def register(sub) -> None:
    p = sub.add_parser("site", help="export, build or serve the library's site")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", metavar="DIR", help="write every page as plain markdown to DIR")
    what.add_argument(
        "--build", metavar="SITE_DIR", nargs="?", const="", help="mkdocs build --strict"
    )
    what.add_argument("--serve", action="store_true", help="mkdocs serve (live reload)")
    p.add_argument("--site-url", default="", help="the URL the exported site is served at")
    p.add_argument("--scope-drd-url", default="", help="base URL of the sibling repo")
    p.add_argument("--repo-blob-url", default="", help="where unpublished repo files open")
    p.add_argument(
        "--publish-raw", action="store_true", help="include raw artifacts (published as text)"
    )
    p.add_argument("--strict", action="store_true", help="with --out: exit 1 on a broken citation")
    p.add_argument("--json", action="store_true", help="machine-readable result of --out")
    p.set_defaults(func=run)


def run(lib, args) -> int:
    if args.out is not None:
        from extract import fsio

        from .site_export import write

        with fsio.writing(args.out):  # a full disk or read-only folder: one message naming it
            result = write(
                lib,
                args.out,
                site_url=args.site_url,
                scope_drd_url=args.scope_drd_url,
                repo_blob_url=args.repo_blob_url,
                publish_raw=args.publish_raw,
            )
        if args.json:
            emit_json(result)
        else:
            for message in result["broken"]:
                err_console.print(f"warning: {message}", markup=False)
            console.print(
                f"wrote {result['pages']} pages to {result['out']}; build them with "
                f"`mkdocs build -f {result['out']}/mkdocs.yml`",
                markup=False,
            )
        return 1 if args.strict and result["broken"] else 0
    config = lib.root / "mkdocs.yml"
    if not config.is_file():
        raise UsageError(
            "no mkdocs.yml in the library root; `refs site --out DIR` needs none", config
        )
    cmd = [sys.executable, "-m", "mkdocs"]
    if args.serve:
        cmd += ["serve", "-f", str(config)]
    else:
        cmd += ["build", "--strict", "-f", str(config)] + (["-d", args.build] if args.build else [])
    return subprocess.call(cmd, cwd=lib.root, env={**os.environ, **QUIET_MATERIAL})
