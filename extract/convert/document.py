"""The document every Tier 2 reader returns, and how it becomes `full.md`."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .safety import neutralise

FRONT_MATTER_KEYS = (
    "title",
    "source_url",
    "fetch_date",
    "source_type",
    "author",
    "conversion_notes",
)


@dataclass
class Converted:
    """One artifact's markdown. ``body`` holds headings from level 1 down."""

    title: str
    body: str
    author: str = ""
    source_url: str = ""
    notes: list[str] = field(default_factory=list)
    date: str = ""  # publication date when the artifact states one


def front_matter(meta: dict) -> str:
    """YAML front matter in the fixed key order; values quoted so any text is safe."""
    lines = ["---"]
    for key in FRONT_MATTER_KEYS:
        value = meta.get(key, "")
        lines.append(
            f"{key}: {yaml.safe_dump(str(value), allow_unicode=True, width=10_000).strip().removesuffix(chr(10) + '...')}"
        )
    lines.append("---")
    return "\n".join(lines) + "\n"


def parse_front_matter(text: str) -> tuple[dict, str]:
    """(front matter, body) of a full.md; raises ValueError when it is malformed."""
    if not text.startswith("---\n"):
        raise ValueError("no front matter: full.md must start with a `---` YAML block")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise ValueError("front matter is not closed by a `---` line")
    meta = yaml.safe_load(text[4:end]) or {}
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a YAML mapping")
    missing = [k for k in FRONT_MATTER_KEYS if k not in meta]
    if missing:
        raise ValueError(f"front matter lacks {', '.join(missing)}")
    return meta, text[end + 5 :]


def render(meta: dict, body: str) -> str:
    """The bytes of a full.md: front matter, then the neutralised body."""
    body = neutralise(body).strip("\n")
    return front_matter(meta) + "\n" + body + "\n"
