"""LaTeX source -> markdown: the first choice of the arXiv reader.

The pipeline is data in, data out: the e-print's text files (path -> bytes) give
the main file, `\\input`s resolved, comments stripped, the paper's macros expanded;
a renderer then walks the document body once and writes markdown. Blocks
(headings, equations, tables, lists, figures) are kept as placeholders while
paragraphs are reflowed, and cross references are filled in at the very end, when
every label's number is known.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ..errors import RefsError
from . import latex_bib, latex_macros
from .latex_scan import (
    command_at,
    find_env_end,
    matching_brace,
    read_group,
    read_optional,
    split_top,
    strip_comments,
)
from .latex_text import ACCENTS, SILENT, SKIP_ARGS, SYMBOLS, WRAPPERS, accent

PREFERRED_MAIN = ("main", "ms", "paper", "article", "manuscript")
MAX_INPUT_DEPTH = 20


@dataclass
class LatexResult:
    body: str  # markdown, headings from level 2 down
    abstract: str  # the paper's own abstract, rendered (may be empty)
    main: str  # path of the main file inside the e-print
    notes: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    """TeX files are mostly UTF-8; older ones Latin-1 (which never fails)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # NUL marks the converter's own placeholders; CRLF files read like LF ones.
    return text.replace("\x00", "").replace("\r\n", "\n")


# --- finding and assembling the document -------------------------------------------

_DOCCLASS = re.compile(r"^[^%\n]*\\documentclass", re.M)
_BEGIN_DOC = re.compile(r"\\begin\s*\{document\}")
_END_DOC = re.compile(r"\\end\s*\{document\}")


def find_main(texts: dict[str, str]) -> str | None:
    """The file with ``\\documentclass`` and ``\\begin{document}``: a conventional name
    first (main, ms, paper...), else the largest; ties broken by path for determinism."""
    candidates = [
        name
        for name, text in texts.items()
        if name.lower().endswith((".tex", ".ltx"))
        and _DOCCLASS.search(text)
        and _BEGIN_DOC.search(strip_comments(text))
    ]
    if not candidates:
        return None

    def rank(name: str) -> tuple:
        stem = posixpath.splitext(posixpath.basename(name))[0].lower()
        preferred = stem in PREFERRED_MAIN
        return (not preferred, name.count("/"), -len(texts[name]), name)

    return sorted(candidates, key=rank)[0]


_VERBATIM_ENV = re.compile(
    r"\\begin\s*\{(verbatim\*?|Verbatim|lstlisting|minted|alltt|BVerbatim)\}(.*?)\\end\s*\{\1\}",
    re.S,
)
_VERB = re.compile(r"\\(?:verb\*?|lstinline(?:\[[^\]]*\])?)([^A-Za-z\s{])(.*?)\1")


def protect_verbatim(text: str, store: list[tuple[str, str, bool]]) -> str:
    """Replace verbatim material by ``\\refsverbatim{n}`` before comments and macros
    touch it; ``store`` receives (language, code, inline)."""

    def block(m: re.Match[str]) -> str:
        body = m.group(2)
        lang = ""
        if m.group(1) == "minted":
            _, j = read_optional(body, 0)
            lang_arg, j = read_group(body, j)
            lang, body = (lang_arg or "").strip(), body[j:]
        elif m.group(1) == "lstlisting":
            opts, j = read_optional(body, 0)
            lm = re.search(r"language\s*=\s*\{?([\w+#-]+)", opts or "")
            lang, body = (lm.group(1).lower() if lm else ""), body[j:]
        store.append((lang, body.strip("\n"), False))
        return f"\n\\refsverbatim{{{len(store) - 1}}}\n"

    def inline(m: re.Match[str]) -> str:
        store.append(("", m.group(2), True))
        return f"\\refsverbatim{{{len(store) - 1}}}"

    return _VERB.sub(inline, _VERBATIM_ENV.sub(block, text))


_INPUT = re.compile(r"\\(input|include|subfile)(?![A-Za-z@])\s*(?:\{([^}]*)\}|([^\s{}\\]+))")


def _lookup(name: str, base_dir: str, texts: dict[str, str]) -> str | None:
    name = name.strip().strip('"')
    for folder in (base_dir, ""):
        for candidate in (name, name + ".tex"):
            path = posixpath.normpath(posixpath.join(folder, candidate))
            if path in texts:
                return path
    return None


def resolve_inputs(
    path: str, texts: dict[str, str], notes: list[str], stack: tuple[str, ...] = ()
) -> str:
    """``path``'s text with every ``\\input``/``\\include`` replaced by its file's text,
    recursively; a cycle or a missing file leaves a note instead of the text."""
    text = texts[path]
    base = posixpath.dirname(stack[0]) if stack else posixpath.dirname(path)

    def replace(m: re.Match[str]) -> str:
        target = m.group(2) if m.group(2) is not None else m.group(3)
        found = _lookup(target, base, texts)
        if found is None:
            notes.append(f"\\{m.group(1)}{{{target}}} names no text file in the e-print; skipped")
            return ""
        if found in stack + (path,) or len(stack) >= MAX_INPUT_DEPTH:
            notes.append(f"\\{m.group(1)}{{{target}}} would include itself again; skipped")
            return ""
        inner = resolve_inputs(found, texts, notes, stack + (path,))
        return ("\n\\clearpage\n" if m.group(1) == "include" else "") + inner + "\n"

    return _INPUT.sub(replace, text)


# --- the renderer ---------------------------------------------------------------------

_PLAIN = re.compile(r"[^\\{}$~`'\-*_\n\[\]#|&]+")
_PARA_SPLIT = re.compile(r"\n[ \t]*\n")
_BLOCK = re.compile(r"\x00B(\d+)\x00")
_REF = re.compile(r"\x00R([pea]):([^\x00]*)\x00")

MATH_ENVS = {
    "equation": None,
    "displaymath": None,
    "math": None,
    "align": "aligned",
    "flalign": "aligned",
    "eqnarray": "aligned",
    "gather": "gathered",
    "multline": "gathered",
    "alignat": "alignedat",
    "xalignat": "alignedat",
    "dmath": None,
}
LIST_ENVS = {
    "itemize": "-",
    "enumerate": "1.",
    "description": "-",
    "compactitem": "-",
    "compactenum": "1.",
    "inparaenum": "1.",
    "enumerate*": "1.",
    "itemize*": "-",
}
TABULAR_SKIP = {
    "tabular": 1,
    "tabular*": 2,
    "tabularx": 2,
    "tabulary": 2,
    "longtable": 1,
    "longtable*": 1,
    "tabu": 1,
    "supertabular": 1,
    "array": 1,
    "NiceTabular": 1,
}
FLOAT_ENVS = {
    "figure": "Figure",
    "figure*": "Figure",
    "wrapfigure": "Figure",
    "SCfigure": "Figure",
    "table": "Table",
    "table*": "Table",
    "wraptable": "Table",
    "algorithm": "Algorithm",
    "algorithm*": "Algorithm",
    "listing": "Listing",
}
SUBFLOAT_ENVS = {"subfigure", "subtable", "subfloat"}
DROPPED_ENVS = {
    "comment",
    "tikzpicture",
    "pgfpicture",
    "picture",
    "axis",
    "filecontents",
    "filecontents*",
}
THEOREMS = {
    "theorem": "Theorem",
    "lemma": "Lemma",
    "proposition": "Proposition",
    "corollary": "Corollary",
    "definition": "Definition",
    "remark": "Remark",
    "example": "Example",
    "assumption": "Assumption",
    "claim": "Claim",
    "conjecture": "Conjecture",
    "observation": "Observation",
    "fact": "Fact",
    "hypothesis": "Hypothesis",
    "problem": "Problem",
    "question": "Question",
}
ALGO_STEP = re.compile(
    r"(?=\\(?:State|STATE|Statex|If|IF|ElsIf|ELSIF|Else|ELSE|EndIf|ENDIF|For|FOR|ForAll"
    r"|FORALL|EndFor|ENDFOR|While|WHILE|EndWhile|ENDWHILE|Repeat|REPEAT|Until|UNTIL|Loop"
    r"|EndLoop|Return|RETURN|Require|REQUIRE|Ensure|ENSURE|Input|Output|Function|EndFunction"
    r"|Procedure|EndProcedure|Comment|COMMENT)(?![A-Za-z]))"
)
CITE = re.compile(
    r"(?:cite|citep|citet|citealp|citealt|citeauthor|citeyear|citeyearpar|parencite"
    r"|textcite|autocite|footcite|supercite|citenum|Citep|Citet|Cite|Parencite|Textcite"
    r"|Autocite|smartcite|cites|citeN)\*?"
)
REF_KIND = {
    "section": "Section",
    "appendix": "Appendix",
    "figure": "Figure",
    "table": "Table",
    "equation": "Equation",
    "algorithm": "Algorithm",
    "listing": "Listing",
    "item": "Item",
    "theorem": "Theorem",
    "footnote": "Footnote",
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


class Renderer:
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

    # -- the walk ----------------------------------------------------------------

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

    def dollar(self, s: str, i: int) -> tuple[str, int]:
        if s.startswith("$$", i):
            end = s.find("$$", i + 2)
            end = len(s) if end < 0 else end
            return self.display_math(s[i + 2 : end], None, numbered=False), end + 2
        j = i + 1
        while j < len(s) and s[j] != "$":
            j += 2 if s[j] == "\\" else 1
        return self.inline_math(s[i + 1 : j]), j + 1

    def inline_math(self, tex: str) -> str:
        tex = re.sub(r"\\label\s*\{[^}]*\}", "", tex)
        tex = re.sub(r"\s+", " ", tex).strip()
        return f"${tex}$" if tex else ""

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

    def cmd_caption(self, s, j):
        short, j = read_optional(s, j)
        text, j = read_group(s, j)
        return self.caption(self.one_line(text or short or "")), j

    cmd_subcaption = cmd_caption

    def cmd_captionof(self, s, j):
        kind, j = read_group(s, j)
        self.float_stack.append({"figure": "Figure", "table": "Table"}.get(kind or "", "Figure"))
        try:
            return self.cmd_caption(s, j)
        finally:
            self.float_stack.pop()

    def caption(self, text: str) -> str:
        kind = self.float_stack[-1] if self.float_stack else "Figure"
        if kind.startswith("sub:"):
            self.sub_counter += 1
            letter = chr(ord("a") + (self.sub_counter - 1) % 26)
            self.current = ("figure", f"({letter})")
            return f"\n\n({letter}) {text}\n\n"
        number = self.step(kind.lower())
        self.current = (kind.lower(), number)
        if kind == "Figure":
            return self.block(f"[Figure {number}: {text}]")
        return self.block(f"**{kind} {number}:** {text}")

    def step(self, counter: str) -> str:
        self.counters[counter] = self.counters.get(counter, 0) + 1
        value = self.counters[counter]
        return f"{value}"

    def cmd_label(self, s, j):
        key, j = read_group(s, j)
        if key is not None and self.current is not None:
            self.labels.setdefault(key.strip(), self.current)
        return "", j

    def ref(self, s, j, style):
        key, j = read_group(s, j)
        keys = [k.strip() for k in (key or "").split(",") if k.strip()]
        return ", ".join(f"\x00R{style}:{k}\x00" for k in keys), j

    def cmd_ref(self, s, j):
        return self.ref(s, j, "p")

    cmd_pageref = cmd_nameref = cmd_vref = cmd_ref

    def cmd_eqref(self, s, j):
        return self.ref(s, j, "e")

    def cmd_autoref(self, s, j):
        return self.ref(s, j, "a")

    cmd_cref = cmd_Cref = cmd_autoref_star = cmd_cref_star = cmd_Cref_star = cmd_autoref

    def cmd_bibliography(self, s, j):
        _, j = read_group(s, j)
        return self.references(), j

    def cmd_printbibliography(self, s, j):
        _, j = read_optional(s, j)
        return self.references(), j

    def cmd_nocite(self, s, j):
        keys, j = read_group(s, j)
        for key in (keys or "").split(","):
            key = key.strip()
            if key == "*":
                self.nocite_all = True
            elif key and key not in self.cite_order:
                self.cite_order.append(key)
        return "", j

    def cmd_title(self, s, j):
        # The title comes from the abstract page; the source's copy would repeat it.
        _, j = self.arg(s, j)
        return "", j

    def cmd_newtheorem(self, s, j):
        return "", self.skip_args(s, j, 2)

    # -- citations ---------------------------------------------------------------

    def cite(self, s: str, j: int) -> tuple[str, int]:
        notes = []
        while True:  # \cite[see][p. 3]{key}: pre- and post-notes
            opt, j2 = read_optional(s, j)
            if opt is None:
                break
            notes.append(self.one_line(opt))
            j = j2
        keys, j = read_group(s, j)
        labels = [self.cite_label(k.strip()) for k in (keys or "").split(",") if k.strip()]
        post = notes[-1] if notes else ""
        pre = notes[0] if len(notes) == 2 else ""
        inner = ", ".join(labels)
        if pre:
            inner = f"{pre} {inner}"
        if post:
            inner = f"{inner}, {post}"
        return (f"[{inner}]" if inner else ""), j

    def cite_label(self, key: str) -> str:
        if self.bbl is not None:
            if key in self.bbl_index:
                return str(self.bbl_index[key])
            self.unresolved_cites.add(key)
            return key
        if key in self.bib_db:
            if key not in self.cite_order:
                self.cite_order.append(key)
            return str(self.cite_order.index(key) + 1)
        self.unresolved_cites.add(key)
        return key

    def reference_entries(self) -> list[tuple[int, str]]:
        if self.bbl is not None:
            return [(n, text) for n, (_, text) in enumerate(self.bbl, 1)]
        keys = [k for k in self.cite_order if k in self.bib_db]
        if self.nocite_all:
            keys += [k for k in self.bib_db if k not in keys]
            self.cite_order = keys
        return [(n, latex_bib.bib_entry_text(self.bib_db[k])) for n, k in enumerate(keys, 1)]

    def references(self) -> str:
        """The numbered `## References` section, once, wherever the paper puts it."""
        if self.references_done:
            return ""
        self.references_done = True
        # Placed as a marker: .bib numbering is only final after the whole paper.
        return self.block("\x00REFERENCES\x00")

    def references_markdown(self) -> str:
        entries = self.reference_entries()
        if not entries:
            return ""
        lines = ["## References"]
        for n, text in entries:
            text = re.sub(r"\\newblock\b", " ", text)
            lines.append(f"[{n}] {self.one_line(text)}")
        return "\n\n".join(lines)

    # -- headings ----------------------------------------------------------------

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

    # -- environments ------------------------------------------------------------

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

    def display_math(self, tex: str, wrapper: str | None, numbered: bool) -> str:
        rows = split_top(tex, "\\\\") if wrapper else [tex]
        tags = []
        for row in rows:
            explicit = re.search(r"\\tag\*?\s*\{([^}]*)\}", row)
            if explicit:
                number = explicit.group(1)
            elif numbered and not re.search(r"\\(nonumber|notag)(?![A-Za-z])", row):
                number = self.step("equation")
            else:
                number = ""
            if number:
                tags.append(number)
            for key in re.findall(r"\\label\s*\{([^}]*)\}", row):
                self.labels.setdefault(key.strip(), ("equation", number or key.strip()))
        tex = re.sub(r"\\label\s*\{[^}]*\}|\\(nonumber|notag)(?![A-Za-z])", "", tex)
        tex = "\n".join(line.rstrip() for line in tex.strip().split("\n") if line.strip())
        if wrapper:
            name, cols = (
                (wrapper[:9], wrapper[9:]) if wrapper.startswith("alignedat") else (wrapper, "")
            )
            tex = f"\\begin{{{name}}}{'{' + cols + '}' if cols else ''}\n{tex}\n\\end{{{name}}}"
        if len(tags) == 1 and numbered and not re.search(r"\\tag", tex):
            tex += f" \\tag{{{tags[0]}}}"
        if not tex.strip():
            return ""
        return self.block(f"$$\n{tex}\n$$")

    def split_items(self, body: str) -> list[tuple[str | None, str]]:
        """Top-level ``\\item``s of a list body (nested lists stay inside their item)."""
        items: list[tuple[str | None, str]] = []
        depth, i, start, label = 0, 0, None, None
        token = re.compile(r"\\(begin|end)\s*\{[^}]*\}|\\item(?![A-Za-z@])|\\[{}]|[{}]")
        for m in token.finditer(body):
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

    def list_block(self, body: str, marker: str) -> str:
        lines = []
        for n, (label, text) in enumerate(self.split_items(body), 1):
            bullet = f"{n}." if marker == "1." else "-"
            content = self.markdown(text)
            if label is not None:
                content = f"**{self.one_line(label)}** {content}".strip()
            indent = " " * (len(bullet) + 1)
            first, *rest = content.split("\n") if content else [""]
            lines.append(f"{bullet} {first}".rstrip())
            lines.extend((indent + line) if line else "" for line in rest)
        return self.block("\n".join(lines)) if lines else ""

    def table_block(self, body: str, skip: int) -> str:
        _, k = read_optional(body, 0)
        for _ in range(skip):
            _, k = read_group(body, k)
        body = re.sub(r"\\(tabularnewline|cr)(?![A-Za-z])", r"\\\\", body[k:])
        rows: list[list[str]] = []
        rule = re.compile(
            r"\\(hline|toprule|midrule|bottomrule|endhead|endfirsthead|endfoot|endlastfoot"
            r"|morecmidrules|hdashline|cdashline|cline|cmidrule|specialrule|addlinespace"
            r"|rowcolor|hhline)(?![A-Za-z])\*?"
        )
        for row in split_top(body, "\\\\"):
            row = row.lstrip()
            if row.startswith("["):  # \\[2pt]
                _, k = read_optional(row, 0)
                row = row[k:]
            row = self.strip_rules(row, rule)
            if not row.strip():
                continue
            cells: list[str] = []
            for cell in split_top(row, "&"):
                cells.extend(self.table_cell(cell))
            rows.append(cells)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return self.block("\n".join(lines))

    def strip_rules(self, row: str, rule: re.Pattern[str]) -> str:
        out, i = [], 0
        for m in rule.finditer(row):
            if m.start() < i:
                continue
            out.append(row[i : m.start()])
            count = {
                "cline": 1,
                "cmidrule": 1,
                "cdashline": 1,
                "hhline": 1,
                "rowcolor": 1,
                "specialrule": 3,
            }.get(m.group(1), 0)
            i = self.skip_args(row, m.end(), count) if count else m.end()
            if m.group(1) == "addlinespace":
                _, i = read_optional(row, i)
        out.append(row[i:])
        return "".join(out)

    def table_cell(self, cell: str) -> list[str]:
        span = 1
        m = re.match(r"\s*\\multicolumn\s*", cell)
        if m:
            count, k = read_group(cell, m.end())
            _, k = read_group(cell, k)
            inner, k = read_group(cell, k)
            span = int(count) if count and count.strip().isdigit() else 1
            cell = (inner or "") + cell[k:]
        text = self.one_line(cell).replace("|", "\\|")
        text = re.sub(r"(?<!\\)\\\|", r"\\|", text)
        return [text] + [""] * (span - 1)

    def float_block(self, body: str, kind: str) -> str:
        _, k = read_optional(body, 0)
        if body[k:].lstrip().startswith("{"):  # wrapfigure{r}{0.5\textwidth}
            _, k2 = read_group(body, k)
            if body[k2:].lstrip().startswith("{"):
                _, k2 = read_group(body, k2)
            k = k2
        self.float_stack.append(kind)
        saved = self.sub_counter
        self.sub_counter = 0
        try:
            rendered = self.render(body[k:])
        finally:
            self.float_stack.pop()
            self.sub_counter = saved
        return rendered

    def algorithm_block(self, body: str) -> str:
        _, k = read_optional(body, 0)
        lines = []
        for step in ALGO_STEP.split(body[k:]):
            m = re.match(r"\\([A-Za-z]+)", step)
            keyword = m.group(1) if m else ""
            text = self.one_line(step[m.end() :] if m else step)
            word = keyword.lower().replace("state", "").replace("statex", "")
            line = (f"**{word}** {text}" if word else text).strip()
            if line:
                lines.append(line)
        return self.block(" \\\n".join(lines)) if lines else ""

    def theorem_block(self, name: str, body: str) -> str:
        opt, k = read_optional(body, 0)
        base = name.rstrip("*")
        if name == "proof":
            lead = f"*Proof{' (' + self.one_line(opt) + ')' if opt else ''}.*"
        else:
            title = self.theorems[base]
            number = "" if name.endswith("*") else " " + self.step("thm:" + base)
            self.current = ("theorem", number.strip())
            lead = f"**{title}{number}{' (' + self.one_line(opt) + ')' if opt else ''}.**"
        return f"\n\n{lead} " + self.render(body[k:]) + "\n\n"

    # -- the end -----------------------------------------------------------------

    def resolve_refs(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            style, key = m.group(1), m.group(2)
            kind, number = self.labels.get(key, ("", key))
            if style == "e":
                return f"({number})"
            if style == "a" and kind:
                return f"{REF_KIND.get(kind, kind.title())} {number}"
            return number

        return _REF.sub(one, text)


_NEWTHEOREM = re.compile(r"\\newtheorem\*?\s*\{([^}]*)\}\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}")


def _bibliography_sources(texts: dict[str, str], main: str, document: str):
    """(bibitems from an inline thebibliography or a .bbl, or None; .bib entries)."""
    if re.search(r"\\begin\s*\{thebibliography\}", document):
        return latex_bib.bibitems(document), {}, "the document's thebibliography"
    stem = posixpath.splitext(main)[0]
    bbls = sorted(n for n in texts if n.lower().endswith(".bbl"))
    bbl = stem + ".bbl" if stem + ".bbl" in texts else (bbls[0] if bbls else None)
    if bbl is not None:
        items = latex_bib.bibitems(strip_comments(texts[bbl]))
        if items:
            return items, {}, bbl
    names = []
    for m in re.finditer(
        r"\\(?:bibliography|addbibresource)\s*(?:\[[^\]]*\])?\{([^}]*)\}", document
    ):
        names += [x.strip() for x in m.group(1).split(",") if x.strip()]
    bibs = []
    for name in names:
        found = _lookup(
            name if name.endswith(".bib") else name + ".bib", posixpath.dirname(main), texts
        )
        if found:
            bibs.append(found)
    if not bibs:
        bibs = sorted(n for n in texts if n.lower().endswith(".bib"))
    db: dict[str, dict[str, str]] = {}
    for name in bibs:
        for key, fields in latex_bib.bib_entries(texts[name]).items():
            db.setdefault(key, fields)
    return None, db, ", ".join(bibs)


def convert_latex(files: dict[str, bytes]) -> LatexResult:
    """Markdown of the LaTeX paper in ``files``; RefsError when there is no main file."""
    verbatim: list[tuple[str, str, bool]] = []
    raw = {name: decode(data) for name, data in sorted(files.items())}
    main = find_main(raw)
    if main is None:
        raise RefsError(
            "no .tex file with both \\documentclass and \\begin{document} in the e-print"
        )
    texts = {
        name: strip_comments(protect_verbatim(text, verbatim))
        if name.endswith((".tex", ".ltx"))
        else text
        for name, text in raw.items()
    }
    notes: list[str] = []
    full = resolve_inputs(main, texts, notes)
    macros, full = latex_macros.collect(full)
    theorems = {env: title for env, title in _NEWTHEOREM.findall(full)}
    begin = _BEGIN_DOC.search(full)
    end = _END_DOC.search(full, begin.end() if begin else 0)
    document = full[begin.end() if begin else 0 : end.start() if end else len(full)]
    document = latex_macros.expand(document, macros)

    bib, db, bib_source = _bibliography_sources(texts, main, document)
    if bib:
        bbl_macros, _ = latex_macros.collect(texts.get(bib_source, ""))
        merged = {**bbl_macros, **macros}
        bib = [(key, latex_macros.expand(text, merged)) for key, text in bib]
    renderer = Renderer(bib, db, verbatim, theorems)
    body = renderer.markdown(document)
    if "\x00REFERENCES\x00" not in body and (bib or renderer.cite_order or renderer.nocite_all):
        body += "\n\n" + renderer.references_markdown()
    else:
        body = body.replace("\x00REFERENCES\x00", renderer.references_markdown())
    if renderer.footnotes:
        body += "\n\n" + "\n\n".join(f"[^{n}]: {t}" for n, t in enumerate(renderer.footnotes, 1))
    body = renderer.resolve_refs(body)
    abstract = renderer.resolve_refs(renderer.abstract)

    notes.insert(0, f"converted from LaTeX source (main file: {main})")
    if bib:
        notes.append(f"references numbered in the order of the bibliography ({bib_source})")
    elif db:
        notes.append(f"references numbered in order of first citation from {bib_source}")
    if renderer.unresolved_cites:
        keys = ", ".join(sorted(renderer.unresolved_cites)[:20])
        notes.append(f"citation keys without a bibliography entry, kept as keys: {keys}")
    if renderer.unknown:
        names = ", ".join("\\" + n for n in sorted(renderer.unknown)[:30])
        notes.append(f"commands without a markdown form, kept as their text: {names}")
    return LatexResult(body=body.strip() + "\n", abstract=abstract, main=main, notes=notes)
