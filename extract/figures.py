"""Figure markers of a full.md: the one writer and the one reader.

Tier 2 keeps a figure as its caption, `[Figure 3: caption]`, and says where the
image is in Tier 1 in an HTML comment at the end of the same line, which GitHub and
the site both hide:

    [Figure 3: The schedule.] <!-- figure: arxiv-eprint.tar.gz#figs/schedule.pdf -->
    [Figure 2: Throughput.] <!-- figure: paper.pdf#page=4&box=72,96.5,540,310 -->

Each origin is a path under `sources/<id>/raw/` with a fragment: an e-print member
(`#member`), or a PDF page (1-based, as in PDF open parameters) and a box in points
from the page's top-left corner (`#page=N&box=x0,y0,x1,y1`). A figure of several
files names them all, separated by spaces. An HTML page's figure is
`[[Figure: alt]](image URL)`: the URL is its origin, and `refs fetch` stores the image
under `raw/images/` with that URL in its provenance. The origin is computed from the
artifact alone, so a re-convert writes the same marker.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from .markdown import walk

# The comment, as the neutraliser lets it through: no `<`, `>` or `--` inside.
ORIGIN_COMMENT = r"<!-- figure: (?:[^<>\-]|-(?!-))*? -->"
# `[Figure]`, `[Figure 3: caption]`, `[[Figure: alt]](url)` (an HTML page's image,
# linked), each with the comment after it.
_CAPTION_PART = r"(?:[^\[\]\\\n]|\\.|\[[^\[\]\n]*\](?:\([^()\s]*\))?)*"
MARKER = re.compile(
    r"(?P<open>\[)?\[Figure(?: (?P<number>[0-9A-Za-z.]+))?(?:: (?P<caption>"
    + _CAPTION_PART
    + r"))?\]"
    r"(?(open)\]\((?P<url>[^()\s]+)\))"
    r"(?P<comment> ?<!-- figure: (?P<origin>[^<>]*?) -->)?"
)
# A comment must never hold `--` (CommonMark 0.29, which GitHub's parser follows) or `>`.
_SAFE = "/:,.=&#?+@~_-()!*;$'"


@dataclass(frozen=True)
class Origin:
    """Where a figure's image is: ``path`` under raw/ and what part of it."""

    path: str  # relative to sources/<id>/raw/, or an absolute http(s) URL
    member: str = ""  # a file inside an e-print
    page: int = 0  # a PDF page, from 1
    box: tuple[float, float, float, float] | None = None  # points, top-left origin

    @property
    def kind(self) -> str:
        if self.path.startswith(("http://", "https://")):
            return "url"
        if self.member:
            return "eprint"
        if self.page:
            return "pdf-region" if self.box else "pdf-page"
        return "file"

    def text(self) -> str:
        """The origin as the marker writes it."""
        if self.kind == "url":
            return _encode(self.path)
        out = _encode(self.path)
        if self.member:
            return out + "#" + _encode(self.member)
        if self.page:
            out += f"#page={self.page}"
            if self.box:
                out += "&box=" + ",".join(_num(v) for v in self.box)
        return out

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "path": self.path,
            "member": self.member or None,
            "page": self.page or None,
            "box": list(self.box) if self.box else None,
        }


@dataclass
class Figure:
    """One marker of a full.md."""

    number: str  # "3", "8a", "" (HTML figures have none)
    caption: str
    line: int  # 1-based
    origins: list[Origin] = field(default_factory=list)
    start: int = 0  # the marker's span in its line
    end: int = 0
    alone: bool = False  # the marker is the whole line (a block), not inside a paragraph

    def as_dict(self) -> dict:
        return {
            "number": self.number or None,
            "caption": self.caption,
            "line": self.line,
            "origins": [o.as_dict() for o in self.origins],
        }


def eps_converter() -> str | None:
    """The program that turns an EPS figure into an image (Ghostscript), if installed."""
    return shutil.which("gs")


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _encode(text: str) -> str:
    out = quote(text, safe=_SAFE)
    while "--" in out:
        out = out.replace("--", "-%2D")
    return out[:-1] + "%2D" if out.endswith("-") else out


def origin_comment(origins: list[Origin]) -> str:
    """The comment that names a figure's origins ("" for none)."""
    if not origins:
        return ""
    return " <!-- figure: " + " ".join(o.text() for o in origins) + " -->"


def parse_origin(text: str) -> Origin | None:
    """One origin as written in a marker; None when it is not one."""
    if text.startswith(("http://", "https://")):
        return Origin(unquote(text))
    path, _, frag = text.partition("#")
    path = unquote(path)
    if not path or path.startswith("/") or ".." in path.split("/"):
        return None  # an origin always lies under raw/
    if not frag:
        return Origin(path)
    if frag.startswith("page="):
        params = dict(p.partition("=")[::2] for p in frag.split("&"))
        try:
            page = int(params["page"])
            box = tuple(float(v) for v in params["box"].split(",")) if "box" in params else None
        except (ValueError, KeyError):
            return None
        if page < 1 or (
            box is not None and (len(box) != 4 or box[2] <= box[0] or box[3] <= box[1])
        ):
            return None
        return Origin(path, page=page, box=box)
    member = unquote(frag)
    if member.startswith("/") or ".." in member.split("/"):
        return None
    return Origin(path, member=member)


def _caption(raw: str | None) -> str:
    return re.sub(r"\\(.)", r"\1", raw or "").strip()


def figures(text: str) -> list[Figure]:
    """Every figure marker of a markdown text, outside code, in order."""
    out: list[Figure] = []
    for n, line, in_code in walk(text.splitlines()):
        if in_code or "[Figure" not in line:
            continue
        for m in MARKER.finditer(line):
            origins = []
            if m.group("origin"):
                origins = [o for o in map(parse_origin, m.group("origin").split()) if o]
            elif m.group("url") and m.group("url").startswith(("http://", "https://")):
                origins = [Origin(m.group("url"))]
            out.append(
                Figure(
                    number=m.group("number") or "",
                    caption=_caption(m.group("caption")),
                    line=n + 1,
                    origins=origins,
                    start=m.start(),
                    end=m.end(),
                    alone=not line[: m.start()].strip() and not line[m.end() :].strip(),
                )
            )
    return out
