"""The renderer: one walk over the document body that writes markdown.

Blocks (headings, equations, tables, lists, figures) are kept as placeholders while
paragraphs are reflowed, and cross references are filled in at the very end, when
every label's number is known. Math, tables, lists, floats, citations and cross
references live in their own modules as mixins of `Renderer`.
"""

from __future__ import annotations

import re

from .citations import CITE, CitationsMixin
from .floats import FLOAT_ENVS, SUBFLOAT_ENVS, FloatsMixin
from .lists import LIST_ENVS, ListsMixin
from .math import MATH_ENVS, MathMixin
from .scan import command_at, find_env_end, matching_brace, read_group, read_optional
from .tables import TABULAR_SKIP, TablesMixin
from .text import ACCENTS, SILENT, SKIP_ARGS, SYMBOLS, WRAPPERS, accent
from .xref import THEOREMS, XrefMixin

_PLAIN = re.compile(r"[^\\{}$~`'\-*_\n\[\]#|&]+")
_PARA_SPLIT = re.compile(r"\n[ \t]*\n")
_BLOCK = re.compile(r"\x00B(\d+)\x00")

DROPPED_ENVS = {
    "comment",
    "tikzpicture",
    "pgfpicture",
    "picture",
    "axis",
    "filecontents",
    "filecontents*",
}


def _emphasis(text: str, mark: str) -> str:
    """``text`` wrapped in ``mark`` with its outer spaces kept outside the markers."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _code_span(text: str) -> str:
    text = re.sub(r"\\([_*#$\\])", r"\1", text)
    ticks = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}" if text.strip() else text


class Renderer(MathMixin, TablesMixin, ListsMixin, FloatsMixin, CitationsMixin, XrefMixin):
    """One document's conversion state: counters, labels, citations, blocks."""

    def __init__(
        self,
        bib: list[tuple[str, str]] | None,
        bib_db: dict[str, dict[str, str]] | None,
        verbatim: list[tuple[str, str, bool]],
        theorems: dict[str, str],
    ):
        self.blocks: list[str] = []
        self.sections = [0, 0, 0]
        self.appendix = False
        self.counters: dict[str, int] = {}
        self.labels: dict[str, tuple[str, str]] = {}
        self.current: tuple[str, str] | None = None
        self.float_stack: list[str] = []
        self.sub_counter = 0
        self.footnotes: list[str] = []
        self.bbl = bib
        self.bib_db = bib_db or {}
        self.bbl_index = {key: n for n, (key, _) in enumerate(bib or [], 1)}
        self.cite_order: list[str] = []  # .bib mode: keys in order of first citation
        self.unknown: set[str] = set()
        self.unresolved_cites: set[str] = set()
        self.verbatim = verbatim
        self.theorems = {**THEOREMS, **theorems}
        self.references_done = False
        self.nocite_all = False
        self.abstract = ""

    def block(self, markdown: str) -> str:
        self.blocks.append(markdown.strip("\n"))
        return f"\n\n\x00B{len(self.blocks) - 1}\x00\n\n"

    def finish(self, rendered: str) -> str:
        """Reflow paragraphs and put the blocks back: finished markdown."""
        out = []
        for para in _PARA_SPLIT.split(rendered):
            para = re.sub(r"[ \t]*\n[ \t]*", " ", para.strip())
            para = re.sub(r"[ \t]{2,}", " ", para).strip()
            if not para:
                continue
            pieces = _BLOCK.split(para)
            for k, piece in enumerate(pieces):
                if k % 2:
                    out.append(self.blocks[int(piece)])
                elif piece.strip():
                    out.append(piece.strip())
        return "\n\n".join(out)

    def markdown(self, latex: str) -> str:
        return self.finish(self.render(latex))

    def one_line(self, latex: str) -> str:
        """Rendered inline text on one line (headings, captions, table cells)."""
        text = self.render(latex)
        text = _BLOCK.sub(lambda m: " " + self.blocks[int(m.group(1))] + " ", text)
        return re.sub(r"\s+", " ", text).strip()

    def render(self, s: str) -> str:
        out: list[str] = []
        i, n = 0, len(s)
        while i < n:
            m = _PLAIN.match(s, i)
            if m:
                out.append(m.group(0))
                i = m.end()
                continue
            ch = s[i]
            if ch == "\\":
                text, i = self.command(s, i)
                out.append(text)
            elif ch == "{":
                end = matching_brace(s, i)
                out.append(self.group(s[i + 1 : end]))
                i = end + 1
            elif ch == "}":
                i += 1
            elif ch == "$":
                text, i = self.dollar(s, i)
                out.append(text)
            elif ch == "~":
                out.append(" ")
                i += 1
            elif s.startswith("``", i) or s.startswith("''", i):
                out.append("“" if ch == "`" else "”")
                i += 2
            elif s.startswith("---", i):
                out.append("—")
                i += 3
            elif s.startswith("--", i):
                out.append("–")
                i += 2
            elif ch in "*_#|":
                out.append("\\" + ch)
                i += 1
            elif ch == "&":
                out.append(" ")  # an alignment tab outside a table
                i += 1
            else:
                out.append(ch)
                i += 1
        return "".join(out)

    def group(self, inner: str) -> str:
        """``{...}``: a leading font declaration (``{\\em x}``) styles the group."""
        stripped = inner.lstrip()
        for names, mark in (
            (("em", "it", "itshape", "sl", "slshape"), "*"),
            (("bf", "bfseries"), "**"),
        ):
            for name in names:
                if re.match(r"\\" + name + r"(?![A-Za-z])", stripped):
                    rest = stripped[len(name) + 1 :]
                    return _emphasis(self.render(rest), mark)
        if re.match(r"\\(tt|ttfamily)(?![A-Za-z])", stripped):
            return _code_span(self.one_line(re.sub(r"^\\(tt|ttfamily)", "", stripped)))
        return self.render(inner)

    def command(self, s: str, i: int) -> tuple[str, int]:
        name, j = command_at(s, i)
        if name == "begin":
            return self.environment(s, j)
        if name == "end":
            _, j = read_group(s, j)  # a stray \end: its environment was never opened
            return "", j
        if name == "[":
            end = s.find("\\]", j)
            end = len(s) if end < 0 else end
            return self.display_math(s[j:end], None, numbered=False), end + 2
        if name == "(":
            end = s.find("\\)", j)
            end = len(s) if end < 0 else end
            return self.inline_math(s[j:end]), end + 2
        if name == "\\":
            if s.startswith("*", j):
                j += 1
            _, j = read_optional(s, j)
            return "\n\n", j
        if name in ("par", "newline", "linebreak"):
            return "\n\n", j
        if name in ACCENTS and (not name.isalpha() or not s[j : j + 1].isalpha()):
            arg, j = read_group(s, j)
            return accent(ACCENTS[name], self.render(arg or "")), j
        if name in SYMBOLS:
            return SYMBOLS[name], j
        handler = getattr(self, "cmd_" + name.replace("*", "_star"), None)
        if handler is not None:
            return handler(s, j)
        if CITE.fullmatch(name):
            return self.cite(s, j)
        if name in (
            "section",
            "section*",
            "subsection",
            "subsection*",
            "subsubsection",
            "subsubsection*",
            "chapter",
            "chapter*",
        ):
            return self.heading(name, s, j)
        if name in SKIP_ARGS:
            return "", self.skip_args(s, j, SKIP_ARGS[name])
        if name in WRAPPERS:
            j = self.skip_args(s, j, WRAPPERS[name])
            _, j = read_optional(s, j)
            arg, j = read_group(s, j)
            return self.render(arg or ""), j
        if name in SILENT or not name:
            return "", j
        if not name[0].isalpha():
            return name, j  # an escaped character with no special meaning
        self.unknown.add(name)
        # Unknown command: its name is dropped, its arguments (the groups that follow)
        # are rendered by the walk as ordinary text, so no words are lost.
        if s.startswith("[", j):
            _, j = read_optional(s, j)
        return "", j

    def skip_args(self, s: str, j: int, count: int) -> int:
        if s.startswith("*", j):
            j += 1
        _, j = read_optional(s, j)
        if s.startswith("(", j):  # \cmidrule(lr){2-3}
            j = matching_brace(s, j, "(", ")") + 1
        for _ in range(count):
            _, j = read_group(s, j)
            _, j = read_optional(s, j)
        return j

    def arg(self, s: str, j: int) -> tuple[str, int]:
        _, j = read_optional(s, j)
        text, j = read_group(s, j)
        return text or "", j

    def styled(self, s: str, j: int, mark: str) -> tuple[str, int]:
        text, j = read_group(s, j)
        return _emphasis(self.render(text or ""), mark), j

    def cmd_emph(self, s, j):
        return self.styled(s, j, "*")

    cmd_textit = cmd_textsl = cmd_emph

    def cmd_textbf(self, s, j):
        return self.styled(s, j, "**")

    def cmd_texttt(self, s, j):
        text, j = read_group(s, j)
        return _code_span(self.one_line(text or "")), j

    cmd_code = cmd_path = cmd_texttt

    def cmd_url(self, s, j):
        text, j = read_group(s, j)
        url = (text or "").strip().replace("\\%", "%").replace("\\#", "#").replace("\\_", "_")
        return (f"[{url}]({url})" if url else ""), j

    cmd_nolinkurl = cmd_url

    def cmd_href(self, s, j):
        url, j = read_group(s, j)
        text, j = read_group(s, j)
        url = (url or "").strip().replace("\\%", "%").replace("\\#", "#").replace("\\_", "_")
        label = self.one_line(text or "") or url
        return f"[{label}]({url})", j

    def cmd_refsverbatim(self, s, j):
        index, j = read_group(s, j)
        lang, code, inline = self.verbatim[int(index or 0)]
        if inline:
            return _code_span(code), j
        fence = "```"
        while fence in code:
            fence += "`"
        return self.block(f"{fence}{lang}\n{code}\n{fence}"), j

    def cmd_footnote(self, s, j):
        text, j = self.arg(s, j)
        self.footnotes.append(self.one_line(text))
        return f"[^{len(self.footnotes)}]", j

    cmd_thanks = cmd_footnotetext = cmd_footnote

    def cmd_footnotemark(self, s, j):
        _, j = read_optional(s, j)
        return "", j

    def cmd_paragraph(self, s, j):
        if s.startswith("*", j):
            j += 1
        text, j = self.arg(s, j)
        title = self.one_line(text)
        return (f"\n\n**{title}** " if title else "\n\n"), j

    cmd_subparagraph = cmd_paragraph

    def cmd_appendix(self, s, j):
        self.appendix = True
        self.sections = [0, 0, 0]
        return "", j

    def cmd_item(self, s, j):
        _, j = read_optional(s, j)
        return "\n\n", j

    def cmd_title(self, s, j):
        # The title comes from the abstract page; the source's copy would repeat it.
        _, j = self.arg(s, j)
        return "", j

    def heading(self, name: str, s: str, j: int) -> tuple[str, int]:
        starred = name.endswith("*")
        base = name.rstrip("*")
        if not starred and s.startswith("*", j):
            starred, j = True, j + 1
        short, j = read_optional(s, j)
        text, j = read_group(s, j)
        source = text if text is not None else short or ""
        depth = {"chapter": 0, "section": 0, "subsection": 1, "subsubsection": 2}[base]
        hashes = "#" * (depth + 2)
        if starred:
            return self.block(f"{hashes} {self.one_line(source)}"), j
        self.sections[depth] += 1
        for k in range(depth + 1, 3):
            self.sections[k] = 0
        parts = [str(x) for x in self.sections[: depth + 1]]
        if self.appendix:
            top = self.sections[0]
            parts[0] = chr(ord("A") + top - 1) if 0 < top <= 26 else str(top)
        number = ".".join(parts)
        # Set before the title is rendered: a \label inside the title refers here.
        self.current = ("appendix" if self.appendix and depth == 0 else "section", number)
        title = self.one_line(source)
        return self.block(f"{hashes} {number} {title}"), j

    def environment(self, s: str, j: int) -> tuple[str, int]:
        name, j = read_group(s, j)
        name = (name or "").strip()
        end, after = find_env_end(s, name, j)
        body = s[j:end]
        base = name.rstrip("*")
        if name == "document":
            return self.render(body), after
        if name == "abstract":
            self.abstract = self.markdown(body)
            return "", after
        if base in MATH_ENVS:
            if base in ("alignat", "xalignat"):
                cols, k = read_group(body, 0)
                wrapper = "alignedat" + (cols or "").strip()
                return self.display_math(body[k:], wrapper, not name.endswith("*")), after
            numbered = not name.endswith("*") and base not in ("displaymath", "math")
            if base == "math":
                return self.inline_math(body), after
            return self.display_math(body, MATH_ENVS[base], numbered), after
        if name in LIST_ENVS:
            return self.list_block(body, LIST_ENVS[name]), after
        if name in TABULAR_SKIP:
            return self.table_block(body, TABULAR_SKIP[name]), after
        if name in FLOAT_ENVS:
            return self.float_block(body, FLOAT_ENVS[name]), after
        if base in SUBFLOAT_ENVS:
            _, k = read_optional(body, 0)
            if base != "subfloat":
                _, k = read_group(body, k)  # width
            self.float_stack.append("sub:" + (self.float_stack[-1] if self.float_stack else ""))
            try:
                return self.render(body[k:]), after
            finally:
                self.float_stack.pop()
        if name == "minipage":
            _, k = read_optional(body, 0)
            _, k = read_group(body, k)  # width
            return self.render(body[k:]), after
        if name in DROPPED_ENVS:
            if name in ("tikzpicture", "pgfpicture", "picture", "axis") and not self.float_stack:
                return self.block("[Figure: drawing made in LaTeX, not converted]"), after
            return "", after
        if name == "thebibliography":
            return self.references(), after
        if base in ("algorithmic", "algorithmicx", "algorithm2e"):
            return self.algorithm_block(body), after
        if base in self.theorems or name == "proof":
            return self.theorem_block(name, body), after
        if name in ("appendices", "appendix"):
            self.cmd_appendix(s, j)
            return self.render(body), after
        if name in ("quote", "quotation"):
            inner = self.markdown(body)
            return self.block(
                "\n".join("> " + line if line else ">" for line in inner.split("\n"))
            ), after
        # center, flushleft, minipage and unknown environments: their content, as text.
        return self.render(body), after
