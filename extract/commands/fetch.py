"""`refs fetch <id>... | --priority P | --topic N | --all`: Tier 1, raw artifacts.

`--record` downloads nothing: it writes provenance.json for raw files fetched by hand
(curl, `gh api`), marked "recorded, not fetched", and moves the resource to fetched.

Base URLs: REFS_ARXIV_URL, REFS_GITHUB_API_URL, REFS_GITHUB_RAW_URL. GITHUB_TOKEN is
sent to the GitHub API when set, over https only. HTTP knobs: REFS_FETCH_CONNECT_TIMEOUT,
REFS_FETCH_READ_TIMEOUT, REFS_FETCH_RETRIES, REFS_FETCH_BACKOFF, REFS_FETCH_MAX_WAIT
(seconds) and REFS_FETCH_MAX_BYTES. `--render` (pages whose content JavaScript
builds): REFS_CHROMIUM (default /usr/bin/chromium), REFS_RENDER_TIMEOUT (seconds).

Slow servers: every artifact must arrive within a deadline (--deadline or
REFS_FETCH_DEADLINE, default 3600 s: a 50 MB PDF at 14 KB/s) and every transfer
must keep a minimum rate (--min-rate or REFS_FETCH_MIN_RATE, default 1024 bytes/s
averaged over REFS_FETCH_RATE_WINDOW, default 60 s). One that misses either is
cut off and its resource stays pending; 0 turns a limit off.
A page's content images are stored with it in raw/images/ (at most 60 images and 50 MB
a resource); `--images` fetches them for pages fetched before, without re-fetching them.
"""

from __future__ import annotations

import argparse
from collections import Counter

from ..errors import UsageError
from ..fetch import Options, fetch_resources
from ..fetch.http import HttpConfig
from ..manifest import PRIORITIES
from ..outcome import Outcome
from ..output import console, emit_json, progress, table


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def _limit(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number >= 0 (0: no limit), got {text}")
    return value


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number >= 0")
    return int(text)


def _topic(text: str) -> int | str:
    if text == "meta":
        return text
    if text.isdigit() and int(text) > 0:
        return int(text)
    raise argparse.ArgumentTypeError(f"`{text}` is not a topic number or `meta`")


def register(sub) -> None:
    p = sub.add_parser(
        "fetch",
        help="fetch resources' original artifacts into sources/<id>/raw/",
        description=__doc__,
    )
    p.add_argument("ids", nargs="*", metavar="ID", help="resource ids")
    p.add_argument("--priority", choices=PRIORITIES, help="every resource of this priority")
    p.add_argument("--topic", type=_topic, help="every resource of this topic (number or meta)")
    p.add_argument("--all", action="store_true", help="every resource")
    p.add_argument(
        "--force", action="store_true", help="re-fetch fetched resources (conditionally)"
    )
    p.add_argument(
        "--dry-run", action="store_true", help="show what would be fetched; no network, no writes"
    )
    p.add_argument(
        "--jobs", type=_positive, default=4, help="resources fetched at once (default 4)"
    )
    p.add_argument(
        "--subpages",
        type=_count,
        default=0,
        help="for docs resources, follow up to N table-of-contents pages under the first page's folder (default 0: off)",
    )
    p.add_argument(
        "--record",
        action="store_true",
        help="download nothing: record provenance for raw files already in sources/<id>/raw/ "
        "(fetched by hand) and mark the resource fetched",
    )
    p.add_argument(
        "--images",
        action="store_true",
        help="only the content images of HTML pages fetched before (into raw/images/); "
        "the pages are not fetched again",
    )
    p.add_argument(
        "--render",
        action="store_true",
        help="load the named resources' pages in headless Chromium and store the rendered "
        "page (for pages whose content JavaScript builds); needs the `render` extra",
    )
    p.add_argument(
        "--deadline",
        type=_limit,
        metavar="SECONDS",
        help="longest time one artifact may take, retries included (default 3600, or "
        "REFS_FETCH_DEADLINE; 0: none)",
    )
    p.add_argument(
        "--min-rate",
        type=_limit,
        metavar="BYTES_PER_S",
        help="cut off a transfer slower than this over the last REFS_FETCH_RATE_WINDOW "
        "seconds (default 1024 over 60 s, or REFS_FETCH_MIN_RATE; 0: none)",
    )
    p.add_argument("--json", action="store_true", help="machine-readable report")
    p.set_defaults(func=run)


def _selection(lib, args):
    filters = args.priority or args.topic is not None or args.all
    if args.ids and filters:
        raise UsageError("refs fetch: name ids or use --priority/--topic/--all, not both")
    if not args.ids and not filters:
        raise UsageError("refs fetch: name resource ids, or use --priority, --topic or --all")
    return lib.select(args.ids, priority=args.priority, topic=args.topic, everything=args.all)


def _detail(o: Outcome) -> str:
    if o.message:
        text = o.message
    elif o.result == "planned":
        text = ", ".join(p for p, _ in o.artifacts)
    else:
        counts = Counter(state for _, state in o.artifacts)
        text = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        changed = [p for p, s in o.artifacts if s == "changed"]
        if changed:
            text += f" ({', '.join(changed)})"
    if o.warnings:
        text += "; warnings: " + "; ".join(o.warnings)
    return text


def _render(lib, args) -> list[Outcome]:
    from ..fetch.render import render_resources

    if not args.ids or args.priority or args.topic is not None or args.all:
        raise UsageError("refs fetch --render: name the resource ids to render")
    if args.dry_run or args.subpages or args.record:
        raise UsageError("refs fetch --render: --dry-run, --subpages and --record do not apply")
    resources = lib.select(args.ids)
    with progress("rendering", len(resources)) as bar:
        return render_resources(lib, resources, on_done=lambda o: bar.advance(o.rid))


def _images(lib, args, resources) -> int:
    if args.record or args.render or args.dry_run or args.subpages:
        raise UsageError(
            "refs fetch --images: --record, --render, --dry-run and --subpages do not apply"
        )
    from ..fetch.run import fetch_page_images

    if not args.ids:  # a filter names only the resources whose raw/ holds a page
        resources = [r for r in resources if lib.raw_artifacts(r.id)]
    if not resources:
        console.print("no selected resource holds a fetched page; nothing to do")
        return 0
    limits = {"deadline": args.deadline, "min_rate": args.min_rate}
    config = HttpConfig.from_env(**{k: v for k, v in limits.items() if v is not None})
    with progress("fetching images", len(resources)) as bar:
        outcomes = fetch_page_images(
            lib, resources, config=config, on_done=lambda o: bar.advance(o.rid)
        )
    return _report(outcomes, args)


def run(lib, args) -> int:
    if args.render:
        return _report(_render(lib, args), args)
    resources = _selection(lib, args)
    if args.images:
        return _images(lib, args, resources)
    if args.record:
        return _record(lib, args, resources)
    if not resources:
        console.print("no resource matches the selection; nothing to fetch")
        return 0
    limits = {"deadline": args.deadline, "min_rate": args.min_rate}
    # Bad REFS_FETCH_* values fail here, before any work; flags win over the environment.
    config = HttpConfig.from_env(**{k: v for k, v in limits.items() if v is not None})
    options = Options(
        force=args.force, dry_run=args.dry_run, jobs=args.jobs, subpages=args.subpages
    )
    with progress("fetching", len(resources)) as bar:
        outcomes = fetch_resources(
            lib, resources, options, config=config, on_done=lambda o: bar.advance(o.rid)
        )
    return _report(outcomes, args)


def _report(outcomes: list[Outcome], args, verb: str = "fetched") -> int:
    code = 1 if any(not o.ok for o in outcomes) else 0
    if args.json:
        results = [o.to_dict() for o in outcomes]
        emit_json({"dry_run": args.dry_run, "results": results, "exit_code": code})
        return code
    rows = [(o.rid, o.result, len(o.artifacts), _detail(o)) for o in outcomes]
    console.print(table(None, ("resource", "result", "artifacts", "detail"), rows))
    tally = Counter(o.result for o in outcomes)
    console.print(", ".join(f"{n} {result}" for result, n in sorted(tally.items())))
    if args.dry_run:
        console.print(f"dry run: nothing {verb}, nothing written")
    return code


def _record(lib, args, resources) -> int:
    if args.force or args.subpages:
        raise UsageError("refs fetch --record downloads nothing: drop --force and --subpages")
    from ..fetch.record import record_resources

    if not args.ids:  # a filter names only what holds raw files
        resources = [r for r in resources if r.status != "link_only" and lib.raw_artifacts(r.id)]
    if not resources:
        console.print("no selected resource holds raw files; nothing to record")
        return 0
    return _report(record_resources(lib, resources, dry_run=args.dry_run), args, "recorded")
