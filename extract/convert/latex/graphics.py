"""`\\includegraphics` inside a figure float: which e-print member it shows.

TeX looks a graphic up relative to the main file's folder and each `\\graphicspath`
folder, trying the extensions the driver knows when the name has none; this does
the same against the e-print's member list, so a figure marker can name the file.
"""

from __future__ import annotations

import posixpath
import re

from ...figures import Origin
from .scan import read_group, read_optional

# pdfTeX's order, then the formats other drivers use (EPS with dvips).
EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".jpe", ".jbig2", ".eps", ".ps", ".svg", ".gif")
_GRAPHICSPATH = re.compile(r"\\graphicspath\s*\{((?:\s*\{[^{}]*\}\s*)+)\}")


def graphics_dirs(preamble: str) -> list[str]:
    """The folders `\\graphicspath{{a/}{b/}}` names, in order."""
    out: list[str] = []
    for m in _GRAPHICSPATH.finditer(preamble):
        out += [d.strip() for d in re.findall(r"\{([^{}]*)\}", m.group(1))]
    return out


class Graphics:
    """The e-print members a paper's `\\includegraphics` can name."""

    def __init__(self, archive: str, members: list[str], main: str, dirs: list[str]):
        self.archive = archive
        self.members = {m.lower(): m for m in members}
        base = posixpath.dirname(main)
        self.prefixes = [base, *(posixpath.join(base, d) for d in dirs), *dirs, ""]

    def find(self, name: str) -> str | None:
        """The member ``name`` resolves to, or None."""
        name = name.strip().strip('"').replace("\\", "/")
        if not name or not self.archive:
            return None
        has_ext = posixpath.splitext(name)[1].lower() in EXTENSIONS
        tries = [name] if has_ext else [name + ext for ext in EXTENSIONS] + [name]
        for prefix in self.prefixes:
            for candidate in tries:
                path = posixpath.normpath(posixpath.join(prefix, candidate)).lstrip("./")
                hit = self.members.get(path.lower())
                if hit:
                    return hit
        return None

    def origin(self, name: str) -> Origin | None:
        member = self.find(name)
        return Origin(self.archive, member=member) if member else None


class GraphicsMixin:
    """Renderer methods: collect the graphics of the figure being rendered."""

    graphics: Graphics | None = None
    figure_graphics: list[list[Origin]] = []  # a stack, one list per open float
    caption_slots: list[list[tuple[int, list[Origin]]]] = []  # per float: (caption block, files)

    def cmd_includegraphics(self, s, j):
        if s.startswith("*", j):
            j += 1
        _, j = read_optional(s, j)
        _, j = read_optional(s, j)  # the old [llx,lly][urx,ury] form
        name, j = read_group(s, j)
        if self.graphics is not None and self.figure_graphics and name:
            found = self.graphics.origin(name)
            if found and found not in self.figure_graphics[-1]:
                self.figure_graphics[-1].append(found)
        return "", j

    cmd_includegraphics_star = cmd_includegraphics
