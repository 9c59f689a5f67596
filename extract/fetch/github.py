"""GitHub: issues and PRs through the API, repositories as a few key files.

Issue / PR `github.com/<o>/<r>/(issues|pull)/<n>`: `issue.json` (the API's answer,
as served) and `comments.json` (every page of comments, following the Link header,
merged into one list). Repo, tree and blob URLs: the README (and, for a bare repo
URL, its build configs), the named file, or the files directly inside the named
directory, into `repo/<path>`; never the history, never the whole tree, at most
`MAX_FILES` files per URL. Directories are listed with the API's contents
endpoint; file bytes come from the raw host. A ref containing `/` cannot be told
apart from a path in these URLs: the first segment after tree/blob is the ref.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

from .dispatch import Target
from .http import FetchError
from .job import ResourceJob

MAX_FILES = 40
MAX_PAGES = 100  # comment pages; a Link chain longer than this is a server bug
README = re.compile(r"^readme(\.[a-z0-9]+)?$", re.I)
ROOT_CONFIGS = {
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "requirements.txt",
    "environment.yml",
    "CMakeLists.txt",
    "package.json",
    "Cargo.toml",
}


def describe(target: Target) -> list[str]:
    p = target.params
    if target.kind == "issue":
        return [f"{target.name}issue.json", f"{target.name}comments.json"]
    named = {
        "repo": "README, configs",
        "tree": f"{p['path'] or '.'}/*, README",
        "blob": f"{p['path']}, README",
    }
    return [f"{target.name}/ ({named[p['mode']]})"]


def fetch(job: ResourceJob, target: Target) -> None:
    if target.kind == "issue":
        fetch_issue(job, target)
    else:
        fetch_repo(job, target)


# ---------- issues and pull requests ----------
def fetch_issue(job: ResourceJob, target: Target) -> None:
    p, api = target.params, job.endpoints.github_api
    # The issues endpoint answers for pull requests too, with the same shape.
    base = f"{api}/repos/{_q(p['owner'])}/{_q(p['repo'])}/issues/{p['number']}"
    job.fetch(base, f"{target.name}issue.json", "json")
    first_url = f"{base}/comments?per_page=100"
    comments: list = []
    url: str | None = first_url
    seen: set[str] = set()
    first = last = None
    while url:
        if url in seen or len(seen) >= MAX_PAGES:
            raise FetchError(f"comment pages of {target.url} do not end (Link loop at {url})")
        seen.add(url)
        page, facts = job.get_json(url)
        if not isinstance(page, list):
            raise FetchError(f"{url} answered {type(page).__name__}, not a list of comments")
        comments.extend(page)
        first = first or facts
        last = facts
        url = facts.next_url
    assert first is not None and last is not None  # the loop reads at least one page
    data = (json.dumps(comments, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    entry = {**first.provenance(), "final_url": last.final_url, "kind": "json", "pages": len(seen)}
    job.write(f"{target.name}comments.json", data, entry)


# ---------- repositories ----------
def _q(segment: str) -> str:
    return quote(segment, safe="")


def _qpath(path: str) -> str:
    return "/".join(_q(s) for s in path.split("/") if s)


def _safe_path(path: str) -> bool:
    segs = path.split("/")
    return bool(path) and not path.startswith("/") and all(s not in ("", ".", "..") for s in segs)


def _listing(job: ResourceJob, owner: str, repo: str, path: str, ref: str | None) -> list[dict]:
    url = f"{job.endpoints.github_api}/repos/{_q(owner)}/{_q(repo)}/contents"
    if path:
        url += "/" + _qpath(path)
    if ref:
        url += f"?ref={_q(ref)}"
    data, _ = job.get_json(url)
    if isinstance(data, dict):  # the path is a file: the API describes it alone
        data = [data]
    if not isinstance(data, list):
        raise FetchError(f"{url} did not answer a directory listing")
    return [e for e in data if isinstance(e, dict) and isinstance(e.get("path"), str)]


def pick_files(mode: str, root: list[dict], named: list[dict], path: str) -> list[str]:
    """The repo paths worth keeping: README(s), configs for a bare repo, the named ones."""
    files = [e for e in root if e.get("type") == "file"]
    picks = [e["path"] for e in files if README.match(e["path"])]
    if mode == "repo":
        picks += [e["path"] for e in files if e["path"] in ROOT_CONFIGS]
    elif mode == "blob":
        picks.append(path)
    else:
        picks += [e["path"] for e in named if e.get("type") == "file"]
    unique = list(dict.fromkeys(picks))
    return unique


def fetch_repo(job: ResourceJob, target: Target) -> None:
    p = target.params
    owner, repo, ref, mode, path = p["owner"], p["repo"], p["ref"], p["mode"], p["path"]
    if mode == "blob" and not _safe_path(path):
        raise FetchError(f"{target.url} names no file path")
    root = _listing(job, owner, repo, "", ref)
    named = _listing(job, owner, repo, path, ref) if mode == "tree" and path else []
    if mode == "tree" and not path:
        named = root
    paths = pick_files(mode, root, named, path)
    unsafe = [x for x in paths if not _safe_path(x)]
    if unsafe:
        job.warnings.append(f"skipped unsafe paths from the listing: {', '.join(unsafe)}")
    paths = [x for x in paths if _safe_path(x)]
    if len(paths) > MAX_FILES:
        job.warnings.append(
            f"{target.url}: {len(paths) - MAX_FILES} files beyond {MAX_FILES} not fetched"
        )
        paths = paths[:MAX_FILES]
    if not paths:
        raise FetchError(f"{target.url}: nothing to fetch (no README or named file found)")
    raw_ref = ref or "HEAD"  # the raw host resolves HEAD to the default branch
    for repo_path in paths:
        url = f"{job.endpoints.github_raw}/{_q(owner)}/{_q(repo)}/{_q(raw_ref)}/{_qpath(repo_path)}"
        job.fetch(url, f"{target.name}/{repo_path}", "file")
