"""GitHub issue / pull request reader: `issue.json` + `comments.json` (API JSON).

The post and every comment are kept as their authors wrote them (markdown is
already markdown); only an unclosed code fence is closed, so one comment can
never swallow the next.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import RefsError
from ..markdown import close_fences, html_images_to_figures
from .document import Document


def _load(path: Path, kind: type) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise RefsError("is not UTF-8 text; re-fetch it", path) from exc
    except json.JSONDecodeError as exc:
        raise RefsError(
            f"is not valid JSON ({exc.msg}, column {exc.colno}); re-fetch it", path, exc.lineno
        ) from exc
    except RecursionError:  # JSON nested thousands deep
        raise RefsError(
            "is JSON nested too deeply to be the GitHub API's; re-fetch it", path
        ) from None
    if not isinstance(data, kind):
        want = "an object" if kind is dict else "a list"
        raise RefsError(f"must hold {want} from the GitHub API, got {type(data).__name__}", path)
    return data


def _login(obj: Any) -> str:
    return str(obj.get("login", "")) if isinstance(obj, dict) else ""


def _day(stamp: Any) -> str:
    return str(stamp)[:10] if stamp else ""


def _body(text: Any) -> str:
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return close_fences(html_images_to_figures(text)) if text.strip() else "*No description.*"


def convert_issue(issue: dict, comments: list[dict], source_url: str = "") -> Document:
    """Markdown for one issue or PR and its comments (already-parsed API JSON)."""
    for key in ("title", "number"):
        if key not in issue:
            raise ValueError(f"has no `{key}`: not a GitHub issue object")
    is_pr = "pull_request" in issue or "merged_at" in issue
    kind = "Pull request" if is_pr else "Issue"
    title = " ".join(str(issue["title"]).split())
    state = str(issue.get("state", ""))
    if issue.get("state_reason"):
        state += f" ({issue['state_reason']})"
    if is_pr and (issue.get("merged_at") or (issue.get("pull_request") or {}).get("merged_at")):
        state += " (merged)"
    labels = [
        str(lab.get("name", "")) if isinstance(lab, dict) else str(lab)
        for lab in issue.get("labels") or []
    ]
    url = str(issue.get("html_url") or source_url)
    facts = [
        ("Type", kind),
        ("State", state),
        ("Author", _login(issue.get("user"))),
        ("Created", _day(issue.get("created_at"))),
        ("Updated", _day(issue.get("updated_at"))),
        ("Closed", _day(issue.get("closed_at"))),
        ("Labels", ", ".join(labels)),
        ("URL", url),
    ]
    lines = [f"# {title} (#{issue['number']})", ""]
    lines += [f"- **{name}**: {value}" for name, value in facts if value]
    lines += ["", _body(issue.get("body")), "", "## Comments", ""]
    kept = [c for c in comments if isinstance(c, dict)]
    if not kept:
        lines += ["*No comments.*", ""]
    for c in kept:
        lines += [f"### {_login(c.get('user')) or 'unknown'} — {_day(c.get('created_at'))}", ""]
        lines += [_body(c.get("body")), ""]
    notes = [f"GitHub {kind.lower()} #{issue['number']} with {len(kept)} comment(s)"]
    expected = issue.get("comments")
    if isinstance(expected, int) and expected != len(kept):
        notes.append(f"the API reported {expected} comments, {len(kept)} were fetched")
    return Document(
        title=f"{title} (#{issue['number']})",
        body="\n".join(lines).strip() + "\n",
        author=_login(issue.get("user")),
        source_url=url,
        notes=notes,
        date=_day(issue.get("created_at")),
    )


def read_issue(raw_dir: Path, source_url: str = "", name: str = "issue.json") -> Document:
    """Convert ``name`` (`issue.json`, or `<prefix>issue.json` for a resource's
    second issue) and its `comments.json` twin, when present, under ``raw_dir``."""
    issue_path = raw_dir / name
    issue = _load(issue_path, dict)
    comments_path = raw_dir / (name.removesuffix("issue.json") + "comments.json")
    comments = _load(comments_path, list) if comments_path.exists() else []
    try:
        doc = convert_issue(issue, comments, source_url)
    except ValueError as exc:
        raise RefsError(str(exc), issue_path) from exc
    if not comments_path.exists():
        doc.notes.append("comments.json absent: comments not fetched")
    return doc
