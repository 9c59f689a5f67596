"""The renderer: one walk over the document body that writes markdown.

Blocks (headings, equations, tables, lists, figures) are kept as placeholders while
paragraphs are reflowed; cross references and citations are filled in at the very
end, when every number is known. Math, tables, lists, floats, algorithms,
citations, cross references and the title page live in their own modules as mixins
of `Renderer`. A command the renderer does not know keeps its argument text and is
named in the conversion notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...markdown import code_span, fenced
from .algorithms import AlgorithmsMixin
from .citations import CITE, CitationsMixin
from .floats import FLOAT_ENVS, SUBFLOAT_ENVS, FloatsMixin
from .graphics import GraphicsMixin
from .lists import LIST_ENVS, ListsMixin
from .macros import Macro
from .math import MATH_ENVS, MathMixin
from .scan import (
    command_at,
    find_env_end,
    matching_brace,
    read_group,
    read_optional,
    skip_spaces,
)
from .source import Verbatim
from .state import Bibliography, TheoremKind
from .tables import TABULAR_SKIP, TablesMixin
from .text import (
    ACCENTS,
    DINGBATS,
    MATH_SYMBOLS,
    PLAIN_SYMBOLS,
    SILENT,
    SKIP_ARGS,
    SYMBOLS,
    TEXT_WRAPPERS,
    WRAPPERS,
    accent,
)
from .titlepage import TITLE_METADATA, TitlePageMixin
from .xref import THEOREMS, XrefMixin

_PLAIN = re.compile(r"[^\\{}$~`'\-*_\n\[\]#|&<]+")
_PARA_SPLIT = re.compile(r"\n[ \t]*\n")
_BLOCK = re.compile(r"\x00B(\d+)\x00")
_DIMEN = re.compile(
    r"\s*=?\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*(?:pt|in|cm|mm|em|ex|bp|pc|dd|sp|mu)"
    r"(?:\s*(?:plus|minus)\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*(?:pt|in|cm|mm|em|ex|fil+))*"
    r"|\s*=?\s*\\[A-Za-z@]+"
)

HEADINGS = {"chapter": 0, "section": 0, "subsection": 1, "subsubsection": 2}
DROPPED_ENVS = {
    "comment",
    "tikzpicture",
    "pgfpicture",
    "picture",
    "axis",
    "filecontents",
    "filecontents*",
    "CCSXML",
    "thebibliography",
}
DRAWINGS = {"tikzpicture", "pgfpicture", "picture", "axis"}
# Environments that only lay their content out: rendered as it, without a note.
QUIET_ENVS = frozenset(
    """center flushleft flushright centering small footnotesize scriptsize tiny large
    icmlauthorlist frontmatter titlepage sloppypar raggedright widepage landscape
    singlespace onehalfspace doublespace mdframed framed tcolorbox""".split()
)
# Environments whose first braced (or bracketed) arguments are settings, not text.
SETTINGS_ENVS = {"spacing": 1, "adjustwidth": 2, "changemargin": 2, "multicols": 1}
# Environments this module gives a meaning to; a paper's \newenvironment of the same
# name is not expanded over them.
KNOWN_ENVS = frozenset(
    {"document", "abstract", "keywords", "keyword", "IEEEkeywords", "minipage", "proof"}
    | {"subequations"}
    | set(MATH_ENVS)
    | set(LIST_ENVS)
    | set(TABULAR_SKIP)
    | set(FLOAT_ENVS)
    | SUBFLOAT_ENVS
    | DROPPED_ENVS
    | {"algorithmic", "algorithmicx", "algorithm2e", "quote", "quotation", "verse"}
    | {"restatable", "restatable*"}
)


def _emphasis(text: str, mark: str) -> str:
    """``text`` wrapped in ``mark`` with its outer spaces kept outside the markers."""
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _joined(formulas: list[str]) -> str:
    """Inline formulas written back to back, as one formula of braced parts."""
    if len(formulas) == 1:
        return f"${formulas[0]}$"
    return "$" + "".join(f"{{{tex}}}" for tex in formulas) + "$"


def _code_span(text: str) -> str:
    text = re.sub(r"\\([_*#$\\])", r"\1", text)  # TeX's escapes mean nothing in code
    return code_span(text) if text.strip() else text


@dataclass
class Setup:
    """What the preamble says about numbering, references and packages."""

    theorems: dict[str, TheoremKind] = field(default_factory=dict)
    within: dict[str, str] = field(default_factory=dict)  # counter -> parent counter
    cref_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    ref_formats: dict[str, str] = field(default_factory=dict)  # prettyref
    show_only_refs: bool = False  # mathtools: number only equations referred to
    referenced: frozenset[str] = frozenset()  # label keys the text refers to
    algorithm2e: bool = False
    algo_noend: bool = False  # algpseudocode's [noend]
    dropped_envs: frozenset[str] = frozenset()  # comment package's \excludecomment
    lists: dict[str, str] = field(default_factory=dict)  # enumitem's \newlist: marker


class Renderer(  # the shared state every mixin reads is declared in state.py
    MathMixin,
    TablesMixin,
    ListsMixin,
    FloatsMixin,
    GraphicsMixin,
    AlgorithmsMixin,
    CitationsMixin,
    XrefMixin,
    TitlePageMixin,
):
    """One document's conversion state: counters, labels, citations, blocks."""

    def __init__(
        self,
        bib: Bibliography,
        verbatim: list[Verbatim],
        macros: dict[str, Macro] | None = None,
        setup: Setup | None = None,
    ):
        setup = setup or Setup()
        self.blocks = []
        self.sections = [0, 0, 0]
        self.appendix = False
        self.counters = {}
        self.printed = {}
        self.theorems = {env: TheoremKind(title, env) for env, title in THEOREMS.items()}
        self.theorems.update(setup.theorems)
        self.within = dict(setup.within)
        for env, kind in self.theorems.items():
            if kind.within and kind.counter == env:
                self.within[env] = kind.within
        self.cref_names = setup.cref_names
        self.ref_formats = setup.ref_formats
        self.show_only_refs = setup.show_only_refs
        self.referenced = setup.referenced
        self.algorithm2e = setup.algorithm2e
        self.algo_noend = setup.algo_noend
        self.dropped_envs = setup.dropped_envs
        self.extra_lists = setup.lists
        self.macros = macros or {}
        self.labels = {}
        self.restatables = {}
        self.current = None
        self.float_stack = []
        self.last_caption = ""
        self.sub_counter = 0
        self.subequations = None
        self.footnotes = []
        self.bib = bib
        self.citations = []
        self.cite_order = []
        self.numbers = {}
        self.reference_keys = []
        self.bbl_text = {}
        self.bbl_label = {}
        self.unknown = set()
        self.unknown_envs = set()
        self.unresolved_cites = set()
        self.unresolved_refs = set()
        self.verbatim = verbatim
        self.references_done = False
        self.nocite_all = False
        self.abstract = ""
        self.plain = False
        self.in_list = 0
        self.authors = []
        self.affiliations = {}
        self.unaffiliated = 0
        self.keywords = []
        self.ccs = []
        self.title_done = False
        self.title_notes = []
        self.in_author = False
        self.last_inline = None

    # -- blocks and paragraphs ---------------------------------------------------

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

    def plain_line(self, latex: str) -> str:
        """Inline text on one line without markdown markup (for code blocks)."""
        saved, self.plain = self.plain, True
        try:
            return self.one_line(latex)
        finally:
            self.plain = saved

    # -- the walk ----------------------------------------------------------------

    def render(self, s: str) -> str:
        out: list[str] = []
        run: list[str] = []  # the TeX of the inline formulas out may end with
        i, n = 0, len(s)
        while i < n:
            m = _PLAIN.match(s, i)
            if m:
                out.append(m.group(0))
                i = m.end()
                continue
            ch = s[i]
            if ch == "\\":
                self.last_inline = None
                text, i = self.command(s, i)
                self.math_piece(out, text, run)
            elif ch == "{":
                end = matching_brace(s, i)
                out.append(self.group(s[i + 1 : end]))
                i = end + 1
            elif ch == "}":
                i += 1
            elif ch == "$":
                self.last_inline = None
                text, i = self.dollar(s, i)
                self.math_piece(out, text, run)
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
                out.append(ch if self.plain else "\\" + ch)
                i += 1
            elif ch == "&":
                out.append(" ")  # an alignment tab outside a table
                i += 1
            elif ch == "<" and not self.plain and re.match(r"[A-Za-z/!?]", s[i + 1 : i + 2]):
                out.append("&lt;")  # "<dst, msg>" must not read as an HTML tag
                i += 1
            else:
                out.append(ch)
                i += 1
        return "".join(out)

    def math_piece(self, out: list[str], text: str, run: list[str]) -> None:
        """Append ``text``; an inline formula right after another joins it, each one a
        braced group (so it shows as the two did in TeX): GitHub reads the `$$` of
        `$a$$b$` as a display opener."""
        tex = self.last_inline
        if tex is None or text != f"${tex}$":
            if text:
                out.append(text)
            return
        if run and out and out[-1] == _joined(run):
            run.append(tex)
            out[-1] = _joined(run)
            return
        run[:] = [tex]
        out.append(text)

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
                    return self.emphasis(self.render(rest), mark)
        if re.match(r"\\(tt|ttfamily)(?![A-Za-z])", stripped):
            return self.code(self.one_line(re.sub(r"^\\(tt|ttfamily)", "", stripped)))
        return self.render(inner)

    def emphasis(self, text: str, mark: str) -> str:
        return text if self.plain else _emphasis(text, mark)

    def code(self, text: str) -> str:
        if self.plain:
            return re.sub(r"\\([_*#$\\])", r"\1", text)
        return _code_span(text)

    # -- commands ----------------------------------------------------------------

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
            if name.startswith("bib"):  # biber's .bbl relies on TeX eating the space
                j = skip_spaces(s, j, newlines=False)
            return (PLAIN_SYMBOLS.get(name, SYMBOLS[name]) if self.plain else SYMBOLS[name]), j
        handler = getattr(self, "cmd_" + name.replace("*", "_star"), None)
        if handler is not None:
            return handler(s, j)
        if CITE.fullmatch(name):
            return self.cite(name, s, j)
        if name.rstrip("*") in self.restatables:
            return self.restate(name.rstrip("*"), s, j)
        if name.rstrip("*") in HEADINGS:
            return self.heading(name, s, j)
        if name in SKIP_ARGS:
            return "", self.skip_args(s, j, SKIP_ARGS[name])
        if name in TITLE_METADATA:
            return "", self.skip_args(s, j, TITLE_METADATA[name])
        if name in WRAPPERS:
            j = self.skip_args(s, j, WRAPPERS[name])
            _, j = read_optional(s, j)
            arg, j = read_group(s, j)
            return self.render(arg or ""), j
        if name in TEXT_WRAPPERS:
            arg, j = read_group(s, j)
            return self.render(arg or ""), j
        if name in SILENT or not name:
            return "", j
        if name.startswith("the") and name[3:] in self.counters:
            return str(self.counters[name[3:]]), j  # \thetable: the counter's value
        if name in MATH_SYMBOLS:
            return "$\\" + name + "$", j  # a math symbol written in running text
        if not name[0].isalpha() and not (name[0] == "@" and len(name) > 1):
            return name, j  # an escaped character with no special meaning
        return self.unknown_command(name, s, j)

    def unknown_command(self, name: str, s: str, j: int) -> tuple[str, int]:
        """A command with no markdown form: its name is noted and dropped, its
        arguments (an optional one unless it reads as settings, and the braced groups
        right after it) are kept as text, so no words are lost."""
        self.unknown.add(name)
        parts = []
        opt, k = read_optional(s, j)
        if opt is not None:
            j = k
            if "=" not in opt and not _DIMEN.fullmatch(opt):
                parts.append(self.render(opt))
        while j < len(s) and s[j] == "{":
            end = matching_brace(s, j)
            parts.append(self.group(s[j + 1 : end]))
            j = end + 1
        return " ".join(p for p in parts if p.strip()), j

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
        return self.emphasis(self.render(text or ""), mark), j

    def cmd_emph(self, s, j):
        return self.styled(s, j, "*")

    cmd_textit = cmd_textsl = cmd_emph

    def cmd_textbf(self, s, j):
        return self.styled(s, j, "**")

    def cmd_texttt(self, s, j):
        text, j = read_group(s, j)
        return self.code(self.one_line(text or "")), j

    cmd_code = cmd_path = cmd_texttt

    def cmd_ensuremath(self, s, j):
        text, j = read_group(s, j)
        return self.inline_math(text or ""), j

    def cmd_refsalgotext(self, s, j):
        text, j = read_group(s, j)  # literal words of pseudocode (keywords, punctuation)
        return text or "", j

    def cmd_vskip(self, s, j):
        m = _DIMEN.match(s, j)
        return "", m.end() if m else j

    cmd_hskip = cmd_kern = cmd_vskip

    def cmd_url(self, s, j):
        text, j = read_group(s, j)
        url = (text or "").strip().replace("\\%", "%").replace("\\#", "#").replace("\\_", "_")
        if self.plain:
            return url, j
        return (f"[{url}]({url})" if url else ""), j

    cmd_nolinkurl = cmd_url

    def cmd_href(self, s, j):
        url, j = read_group(s, j)
        text, j = read_group(s, j)
        url = (url or "").strip().replace("\\%", "%").replace("\\#", "#").replace("\\_", "_")
        label = self.one_line(text or "") or url
        return (label if self.plain else f"[{label}]({url})"), j

    def cmd_refsverbatim(self, s, j):
        index, j = read_group(s, j)
        v = self.verbatim[int(index or 0)]
        if v.inline:
            return self.code(v.code) if not self.plain else v.code, j
        caption = ""
        if v.caption is not None:  # lstlisting's caption= and label= options
            self.float_stack.append(("Listing", ""))
            try:
                caption = self.caption(v.caption)
            finally:
                self.float_stack.pop()
            if v.label and self.current is not None:  # the caption numbered the listing
                self.labels.setdefault(v.label.strip(), self.current)
        return caption + self.block(fenced(v.code, v.lang)), j

    def cmd_texorpdfstring(self, s, j):
        tex, j = read_group(s, j)
        _, j = read_group(s, j)  # the bookmark's plain-text version
        return self.render(tex or ""), j

    def cmd_footnote(self, s, j):
        text, j = self.arg(s, j)
        self.footnotes.append(self.one_line(text))
        return f"[^{len(self.footnotes)}]", j

    cmd_footnotetext = cmd_footnote

    def cmd_thanks(self, s, j):
        mark, j = self.cmd_footnote(s, j)
        if self.in_author:
            return mark, j
        self.title_notes.append(mark)  # a title-page note: it goes with the byline
        return "", j

    def cmd_ding(self, s, j):
        number, j = read_group(s, j)
        symbol = DINGBATS.get((number or "").strip())
        if symbol is None:
            self.unknown.add("ding")
            return "", j
        return symbol, j

    def cmd_nth(self, s, j):
        number, j = read_group(s, j)
        n = (number or "").strip()
        last = n[-1:] if not n.endswith(("11", "12", "13")) else ""
        return n + {"1": "st", "2": "nd", "3": "rd"}.get(last, "th"), j

    def cmd_num(self, s, j):
        _, j = read_optional(s, j)
        value, j = read_group(s, j)
        return self.render(value or ""), j

    cmd_si = cmd_unit = cmd_num

    def cmd_SI(self, s, j):
        _, j = read_optional(s, j)
        value, j = read_group(s, j)
        _, j = read_optional(s, j)
        unit, j = read_group(s, j)
        unit_text = self.one_line(unit or "")
        return (self.render(value or "") + (" " + unit_text if unit_text else "")), j

    cmd_qty = cmd_SI

    def cmd_makecell(self, s, j):
        _, j = read_optional(s, j)
        text, j = read_group(s, j)
        return self.one_line(text or ""), j  # its \\ are line breaks inside one cell

    cmd_thead = cmd_shortstack = cmd_makecell

    def cmd_enquote(self, s, j):
        if s.startswith("*", j):
            j += 1
        text, j = read_group(s, j)
        return f"“{self.render(text or '')}”", j

    def cmd_footnotemark(self, s, j):
        _, j = read_optional(s, j)
        return "", j

    def cmd_paragraph(self, s, j):
        if s.startswith("*", j):
            j += 1
        text, j = self.arg(s, j)
        title = self.one_line(text)
        # A run-in heading: the next paragraph starts on its line, blank line or not
        # (a \label right after it refers to the enclosing section).
        while True:
            while j < len(s) and s[j] in " \t\n":
                j += 1
            if not re.match(r"\\label(?![A-Za-z@])", s[j : j + 7]):
                break
            _, j = self.cmd_label(s, j + 6)
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
        depth = HEADINGS[base]
        hashes = "#" * (depth + 2)
        if starred:
            return self.block(f"{hashes} {self.one_line(source)}"), j
        self.sections[depth] += 1
        for k in range(depth + 1, 3):
            self.sections[k] = 0
        self.reset_within({0: "section", 1: "subsection", 2: "subsubsection"}[depth])
        if depth == 0:
            self.reset_within("chapter")
        number = self.section_number(depth)
        # Set before the title is rendered: a \label inside the title refers here.
        self.current = ("appendix" if self.appendix and depth == 0 else "section", number)
        title = self.one_line(source)
        return self.block(f"{hashes} {number} {title}"), j

    # -- environments ------------------------------------------------------------

    def environment(self, s: str, j: int) -> tuple[str, int]:
        name, j = read_group(s, j)
        name = (name or "").strip()
        end, after = find_env_end(s, name, j)
        body = s[j:end]
        if name == "document":
            return self.render(body), after
        # As in LaTeX, a label after an environment does not see the numbers set
        # inside it (\@currentlabel is local to the environment's group).
        saved = self.current
        try:
            return self.environment_body(name, body, s, j), after
        finally:
            if name.rstrip("*") not in MATH_ENVS:
                self.current = saved

    def environment_body(self, name: str, body: str, s: str, j: int) -> str:
        base = name.rstrip("*")
        if name == "abstract":
            self.abstract = self.markdown(body)
            return ""
        if name in ("keywords", "keyword", "IEEEkeywords"):
            return self.keywords_found(body)
        if base in MATH_ENVS:
            if base == "IEEEeqnarray":  # {rCl}: its column spec, not math
                _, k = read_group(body, 0)
                return self.display_math(body[k:], "aligned", not name.endswith("*"), base)
            if base in ("alignat", "xalignat"):
                cols, k = read_group(body, 0)
                wrapper = "alignedat" + (cols or "").strip()
                return self.display_math(body[k:], wrapper, not name.endswith("*"), base)
            numbered = not name.endswith("*") and base not in ("displaymath", "math")
            if base == "math":
                return self.inline_math(body)
            return self.display_math(body, MATH_ENVS[base], numbered, base)
        if name == "subequations":
            number = self.step("equation")
            self.current = ("equation", number)
            outer, self.subequations = self.subequations, (number, 0)
            try:
                return self.render(body)
            finally:
                self.subequations = outer
        if name in LIST_ENVS:
            return self.list_environment(name, body)
        if name in self.extra_lists:
            return self.list_block(body, self.extra_lists[name])
        if name in self.dropped_envs:
            return ""
        if name in TABULAR_SKIP:
            return self.table_block(body, TABULAR_SKIP[name])
        if name in FLOAT_ENVS:
            return self.float_block(body, FLOAT_ENVS[name])
        if self.algorithm2e and base in ("procedure", "function", "algorithm2e"):
            return self.algorithm2e_float(body)
        if base in SUBFLOAT_ENVS:
            return self.subfloat_environment(base, body)
        if name == "minipage":
            _, k = read_optional(body, 0)
            _, k = read_group(body, k)  # width
            return self.render(body[k:])
        if name in SETTINGS_ENVS:
            k = 0
            for _ in range(SETTINGS_ENVS[name]):
                _, k = read_optional(body, k)
                _, k = read_group(body, k)
            return self.render(body[k:])
        if name in DROPPED_ENVS:
            if name == "thebibliography":
                return self.references()
            if name in DRAWINGS and not self.float_stack:
                return self.block("[Figure: drawing made in LaTeX, not converted]")
            return ""
        if base in ("algorithmic", "algorithmicx"):
            return self.algorithmic_block(body)
        if base == "restatable":
            return self.restatable(body)
        if base in self.theorems or base == "proof":
            return self.theorem_block(name, body)
        if name in ("appendices", "appendix"):
            self.cmd_appendix(s, j)
            return self.render(body)
        if name in ("quote", "quotation", "verse"):
            inner = self.markdown(body)
            return self.block("\n".join("> " + line if line else ">" for line in inner.split("\n")))
        if name not in QUIET_ENVS:
            self.unknown_envs.add(name)
        # center, flushleft and unknown environments: their content, as text.
        return self.render(body)


def renderer_knows(name: str) -> bool:
    """Whether ``\\name`` means something to the renderer (for ``\\ifdefined``)."""
    return (
        name in SYMBOLS
        or name in SILENT
        or name in SKIP_ARGS
        or name in WRAPPERS
        or name in TEXT_WRAPPERS
        or name in ACCENTS
        or name in TITLE_METADATA
        or name in HEADINGS
        or bool(CITE.fullmatch(name))
        or hasattr(Renderer, "cmd_" + name)
    )
