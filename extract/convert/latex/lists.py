"""Lists: `itemize`, `enumerate`, `description`, their package variants and the bare
`list` environment that a paper's own `\\newenvironment` lists are usually made of.

Nested content is indented by four spaces, which both CommonMark and
Python-Markdown (the site) read as belonging to the item.
"""

from __future__ import annotations

import re

from .scan import read_group, read_optional
from .state import RenderState

LIST_ENVS = {
    "itemize": "-",
    "enumerate": "1.",
    "description": "-",
    "compactitem": "-",
    "compactenum": "1.",
    "compactdesc": "-",
    "asparaitem": "-",
    "asparaenum": "1.",
    "inparaitem": "-",
    "inparaenum": "1.",
    "enumerate*": "1.",
    "itemize*": "-",
    "description*": "-",
    "list": "-",
    "trivlist": "-",
}
INDENT = "    "
_COUNTED = re.compile(r"\\(arabic|roman|Roman|alph|Alph|usecounter)(?![A-Za-z])")
_ITEM_TOKEN = re.compile(r"\\(begin|end)\s*\{[^}]*\}|\\item(?![A-Za-z@])|\\[{}]|[{}]")


class ListsMixin(RenderState):
    """Renderer methods for lists (mixed into `Renderer`)."""

    def split_items(self, body: str) -> list[tuple[str | None, str]]:
        """Top-level ``\\item``s of a list body (nested lists stay inside their item)."""
        items: list[tuple[str | None, str]] = []
        depth, i, start, label = 0, 0, None, None
        for m in _ITEM_TOKEN.finditer(body):
            if m.start() < i:
                continue
            t = m.group(0)
            if t in ("\\{", "\\}"):
                continue
            if t == "{" or m.group(1) == "begin":
                depth += 1
            elif t == "}" or m.group(1) == "end":
                depth -= 1
            elif depth == 0:
                if start is not None:
                    items.append((label, body[start : m.start()]))
                label, i = read_optional(body, m.end())
                start = i
        if start is not None:
            items.append((label, body[start:]))
        return items

    def list_environment(self, name: str, body: str) -> str:
        marker = LIST_ENVS[name]
        if name == "list":  # \begin{list}{label}{settings}: numbered if it counts
            label, k = read_group(body, 0)
            settings, k = read_group(body, k)
            if _COUNTED.search((label or "") + (settings or "")):
                marker = "1."
            body = body[k:]
        return self.list_block(body, marker)

    def list_block(self, body: str, marker: str) -> str:
        items = []
        for n, (label, text) in enumerate(self.split_items(body), 1):
            bullet = f"{n}." if marker == "1." else "-"
            if marker == "1.":
                self.current = ("item", str(n))
            self.in_list += 1
            try:
                content = self.markdown(text)
            finally:
                self.in_list -= 1
            label_text = self.one_line(label) if label is not None else ""
            if label_text:
                content = f"**{label_text}** {content}".strip()
            first, *rest = content.split("\n") if content else [""]
            lines = [f"{bullet} {first}".rstrip()]
            lines.extend((INDENT + line) if line else "" for line in rest)
            items.append("\n".join(lines))
        # An item with several blocks makes the list loose: blank lines between items,
        # or Python-Markdown reads the next item as part of the nested block.
        loose = any("\n" in item for item in items)
        return self.block(("\n\n" if loose else "\n").join(items)) if items else ""
