"""URL -> what to fetch: dispatch is by URL, never by resource type.

Each URL of a resource becomes one `Target`: an arXiv paper, a GitHub issue or
PR, a GitHub repo / tree / blob, a direct PDF, or (everything else) an HTML
page. Targets carry the artifact name they write under `raw/`, allocated so
the URLs of one resource never collide: the first page is `page.html`, further
pages `<last path segment>.html`; the first direct PDF is `paper.pdf`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org")
GITHUB_HOSTS = ("github.com", "www.github.com")
ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(v\d+)?$", re.I)
# Every name an arXiv or issue target may write (the e-print's name depends on its kind).
ARTIFACTS = {
    "arxiv": (
        "abstract.html",
        "paper.pdf",
        "arxiv-eprint.tar.gz",
        "arxiv-eprint.gz",
        "arxiv-eprint.tar",
    ),
    "issue": ("issue.json", "comments.json"),
}
SAFE_SEGMENT = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Endpoints:
    """Base URLs, from the environment so tests and offline mirrors can redirect them."""

    arxiv: str = "https://arxiv.org"
    github_api: str = "https://api.github.com"
    github_raw: str = "https://raw.githubusercontent.com"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Endpoints:
        env = os.environ if environ is None else environ
        return cls(
            arxiv=(env.get("REFS_ARXIV_URL") or cls.arxiv).rstrip("/"),
            github_api=(env.get("REFS_GITHUB_API_URL") or cls.github_api).rstrip("/"),
            github_raw=(env.get("REFS_GITHUB_RAW_URL") or cls.github_raw).rstrip("/"),
        )


@dataclass(frozen=True)
class Target:
    kind: str  # arxiv | issue | repo | pdf | page
    url: str  # as written in the manifest
    name: str  # artifact name (or folder, for a repo) under raw/
    params: dict = field(default_factory=dict, compare=False)


def arxiv_id(url: str, endpoints: Endpoints) -> str | None:
    parts = urlsplit(url)
    base = urlsplit(endpoints.arxiv)
    on_mirror = (parts.scheme, parts.netloc) == (base.scheme, base.netloc)
    if parts.hostname not in ARXIV_HOSTS and not on_mirror:
        return None
    path = parts.path
    if on_mirror and base.path.strip("/"):
        path = path.removeprefix(base.path.rstrip("/"))
    m = re.match(r"^/(abs|pdf)/(.+?)(\.pdf)?/?$", path)
    if not m or not ARXIV_ID.match(m.group(2)):
        return None
    return m.group(2)


def github_parts(url: str) -> dict | None:
    """owner/repo and what the URL names: issue/pull number, tree or blob ref + path."""
    parts = urlsplit(url)
    if parts.hostname not in GITHUB_HOSTS:
        return None
    segs = [unquote(s) for s in parts.path.split("/") if s]
    if len(segs) < 2:
        return None
    owner, repo = segs[0], segs[1].removesuffix(".git")
    rest = segs[2:]
    if not rest:
        return {"mode": "repo", "owner": owner, "repo": repo, "ref": None, "path": ""}
    if rest[0] in ("issues", "pull") and len(rest) >= 2 and rest[1].isdigit():
        return {"mode": "issue", "owner": owner, "repo": repo, "number": int(rest[1])}
    if rest[0] in ("tree", "blob") and len(rest) >= 2:
        # A ref with a slash in it is ambiguous in these URLs: we read the first segment.
        return {
            "mode": rest[0],
            "owner": owner,
            "repo": repo,
            "ref": rest[1],
            "path": "/".join(rest[2:]),
        }
    return None


def last_segment_name(url: str, default: str) -> str:
    """A file-name stem from the URL's last path segment (its extension dropped)."""
    segs = [unquote(s) for s in urlsplit(url).path.split("/") if s]
    stem = segs[-1] if segs else ""
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = SAFE_SEGMENT.sub("-", stem).strip("-.")
    return stem or default


def classify(url: str, endpoints: Endpoints) -> tuple[str, dict]:
    if (aid := arxiv_id(url, endpoints)) is not None:
        return "arxiv", {"id": aid}
    gh = github_parts(url)
    if gh is not None:
        return ("issue" if gh["mode"] == "issue" else "repo"), gh
    if urlsplit(url).path.lower().endswith(".pdf"):
        return "pdf", {}
    return "page", {}


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, ext = name.partition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem}-{n}{dot}{ext}"
        n += 1
    taken.add(candidate)
    return candidate


def plan(urls: list[str], endpoints: Endpoints) -> list[Target]:
    """The targets of one resource's URLs, in order, with collision-free names."""
    taken: set[str] = set()
    targets: list[Target] = []
    first = {"page": True, "pdf": True}
    for url in urls:
        kind, params = classify(url, endpoints)
        if kind == "page":
            name = "page.html" if first["page"] else f"{last_segment_name(url, 'page')}.html"
            first["page"] = False
        elif kind == "pdf":
            name = "paper.pdf" if first["pdf"] else f"{last_segment_name(url, 'paper')}.pdf"
            first["pdf"] = False
        elif kind in ("arxiv", "issue"):
            # Their names are fixed; a second paper or issue in one resource gets a prefix.
            fixed = ARTIFACTS[kind]
            prefix = ""
            if any(n in taken for n in fixed):
                label = params["id"] if kind == "arxiv" else f"{params['repo']}-{params['number']}"
                prefix = SAFE_SEGMENT.sub("-", label) + "-"
            taken.update(prefix + n for n in fixed)
            targets.append(Target(kind, url, prefix, params))  # `name` is the prefix here
            continue
        else:
            name = "repo"
        targets.append(Target(kind, url, _unique(name, taken), params))
    return targets
