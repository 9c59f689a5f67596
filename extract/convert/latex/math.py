"""Math: inline `$...$`, display environments and their visible equation numbers.

Every numbered row gets a number a reader can see, so "(5)" in the text has a
target: a one-number display ends with `\\tag{5}`; a multi-row `align` whose rows
carry several numbers ends each numbered row with `\\qquad\\text{(5)}` (KaTeX,
MathJax and latex2mathml all refuse `\\tag` inside `aligned`). With mathtools'
`showonlyrefs`, only the equations the text refers to are numbered, as in the PDF.
A display is written as one markdown paragraph whatever its lines begin with
(`extract.markdown.one_paragraph_math`): GitHub would read a row starting `- ` as a list.
"""

from __future__ import annotations

import re

from ...markdown import one_paragraph_math
from .scan import command_at, read_group
from .state import RenderState

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
    "dgroup": None,
    "IEEEeqnarray": "aligned",
}
SINGLE_NUMBER = {"multline", "equation", "dmath", "displaymath"}  # one number per display

_ROW_TOKEN = re.compile(r"\\\\|\\(begin|end)\s*\{[^}]*\}|\\.|[{}]", re.S)
_LABEL = re.compile(r"\\label\s*\{([^}]*)\}")
_TAG = re.compile(r"\\tag(\*?)\s*\{([^}]*)\}")
_NONUMBER = re.compile(r"\\(nonumber|notag)(?![A-Za-z])")


_TEXT_FONTS = re.compile(
    r"\\(?:upshape|rmfamily|normalfont|mdseries|sffamily|itshape|slshape|selectfont)(?![A-Za-z])\s*"
)
_SIUNITX = re.compile(r"\\num\s*(?:\[[^\]]*\])?\s*\{([^{}]*)\}")


def clean_math(tex: str) -> str:
    """Math the site and other renderers read: text-font switches (from a paper's
    macros) dropped, siunitx's \\num{..} written as its number, a \\mathchoice as
    one branch, and text boxes holding their own `$...$` as math."""
    return _SIUNITX.sub(r"\1", _TEXT_FONTS.sub("", text_boxes_as_math(tex)))


_MATHCHOICE = re.compile(r"\\mathchoice(?![A-Za-z])")
_TEXT_BOX = re.compile(
    r"\\(mbox|hbox|text|textrm|textnormal|textup|textit|textbf|textsf|texttt)(?![A-Za-z])"
)
_BOLDMATH = re.compile(r"\\(un)?boldmath(?![A-Za-z])\s*")


def text_boxes_as_math(tex: str) -> str:
    """``tex`` without the `$` of text boxes inside it: a paper's macros often write
    `\\mbox{\\boldmath$x$}` (`\\bm`), `\\mbox{$x$}` or `\\text{$x$ if}` inside math,
    and a `$` inside a formula ends it on GitHub and on the site. Each formula of such a
    box becomes a group of the outer formula (`\\boldsymbol{...}` after `\\boldmath`),
    its text stays in the box. `\\mathchoice` keeps its text-style branch: the renderer
    sizes it by where it stands (a subscript smaller), as TeX's choice of branch does,
    where the display branch would force display size into subscripts."""
    if "$" not in tex and "\\(" not in tex and "\\mathchoice" not in tex:
        return tex
    out: list[str] = []
    i = 0
    while i < len(tex):
        choice = _MATHCHOICE.match(tex, i)
        box = _TEXT_BOX.match(tex, i)
        if choice:
            branches, j = [], choice.end()
            for _ in range(4):
                group, j = read_group(tex, j)
                branches.append(group or "")
            chosen = text_boxes_as_math(branches[1])
            out.append(_as_operand(out, chosen))
            i = j
        elif box:
            content, j = read_group(tex, box.end())
            parts = _math_parts(content or "")
            if content is None or len(parts) < 2:
                out.append(tex[i:j])
            else:
                out.append(_box_as_math(box.group(1), parts))
            i = j
        elif tex[i] == "\\":
            name, j = command_at(tex, i)
            out.append(tex[i:j])
            i = j
        else:
            out.append(tex[i])
            i += 1
    return "".join(out)


def _as_operand(out: list[str], chosen: str) -> str:
    """``chosen`` braced after `^` or `_`, where it must stay one operand."""
    before = "".join(out[-4:]).rstrip()
    return "{" + chosen + "}" if before.endswith(("^", "_")) else chosen


def _math_parts(content: str) -> list[str]:
    """``content`` split at its own unescaped `$` (and `\\(`, `\\)`), outside its
    braces (those of a box nested inside are its own): text, math, text..."""
    parts, last, i, depth = [], 0, 0, 0
    while i < len(content):
        ch = content[i]
        if ch == "\\" and depth == 0 and content.startswith(("\\(", "\\)"), i):
            parts.append(content[last:i])
            last = i = i + 2
        elif ch == "\\":
            i += 2
        elif ch == "$" and depth == 0:
            parts.append(content[last:i])
            last = i = i + 1
        else:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            i += 1
    parts.append(content[last:])
    return parts


def _box_as_math(name: str, parts: list[str]) -> str:
    pieces, bold = [], False
    for k, part in enumerate(parts):
        if k % 2:
            math = text_boxes_as_math(part.strip())
            pieces.append(f"\\boldsymbol{{{math}}}" if bold else f"{{{math}}}")
            continue
        for m in _BOLDMATH.finditer(part):
            bold = not m.group(1)
        text = _BOLDMATH.sub("", part)
        if text.strip():
            pieces.append(f"\\{name}{{{text}}}")
        elif text and 0 < k < len(parts) - 1:
            pieces.append("\\ ")  # the space between two formulas of the box
    if len(pieces) == 1 and pieces[0].startswith("\\boldsymbol"):
        return pieces[0]
    return pieces[0] if len(pieces) == 1 else "{" + "".join(pieces) + "}"


def split_rows(tex: str) -> list[str]:
    """Rows of a display split on ``\\\\`` outside braces and inner environments
    (a ``cases`` or ``matrix`` inside a row keeps its own rows)."""
    rows, depth, last = [], 0, 0
    for m in _ROW_TOKEN.finditer(tex):
        t = m.group(0)
        if t == "{" or m.group(1) == "begin":
            depth += 1
        elif t == "}" or m.group(1) == "end":
            depth -= 1
        elif t == "\\\\" and depth == 0:
            rows.append(tex[last : m.start()])
            last = m.end()
    rows.append(tex[last:])
    return rows


class MathMixin(RenderState):
    """Renderer methods for math (mixed into `Renderer`)."""

    def dollar(self, s: str, i: int) -> tuple[str, int]:
        if s.startswith("$$", i):
            end = s.find("$$", i + 2)
            end = len(s) if end < 0 else end
            return self.display_math(s[i + 2 : end], None, numbered=False), end + 2
        j = i + 1
        depth = 0  # a `$` inside braces opens a formula of a text box (`\\mbox{$x$}`)
        while j < len(s) and (s[j] != "$" or depth > 0):
            if s[j] == "{":
                depth += 1
            elif s[j] == "}":
                depth = max(depth - 1, 0)
            elif s.startswith("\n\n", j):
                break  # a paragraph ends an unclosed formula
            j += 2 if s[j] == "\\" else 1
        if j >= len(s) or s[j] != "$":
            j = i + 1  # unbalanced braces: the formula ends at the next `$`, as before
            while j < len(s) and s[j] != "$":
                j += 2 if s[j] == "\\" else 1
        return self.inline_math(s[i + 1 : j]), j + 1

    def inline_math(self, tex: str) -> str:
        tex = clean_math(_LABEL.sub("", tex))
        tex = re.sub(r"\s+", " ", tex).strip()
        self.last_inline = tex or None
        return f"${tex}$" if tex else ""

    def row_number(self, row: str, numbered: bool) -> tuple[str, bool]:
        """(the number a display row shows, whether it is written as a \\tag*)."""
        explicit = _TAG.search(row)
        if explicit:
            return explicit.group(2).strip(), bool(explicit.group(1))
        if not numbered or _NONUMBER.search(row):
            return "", False
        if self.show_only_refs:
            keys = [k.strip() for k in _LABEL.findall(row)]
            if not any(k in self.referenced for k in keys):
                return "", False
        return self.step("equation"), False

    def display_math(self, tex: str, wrapper: str | None, numbered: bool, env: str = "") -> str:
        tex = clean_math(tex)
        single = env in SINGLE_NUMBER or not wrapper
        rows = [tex] if single else split_rows(tex)
        numbers: list[tuple[str, bool]] = []
        for row in rows:
            number, starred = self.row_number(row, numbered)
            numbers.append((number, starred))
            for key in _LABEL.findall(row):
                self.labels.setdefault(key.strip(), ("equation", number or "??"))
        shown = [n for n in numbers if n[0]]

        def clean(part: str) -> str:
            part = _LABEL.sub("", _NONUMBER.sub("", _TAG.sub("", part)))
            return "\n".join(line.rstrip() for line in part.strip().split("\n") if line.strip())

        if len(shown) > 1:
            parts = []
            for row, (number, starred) in zip(rows, numbers, strict=True):
                body = clean(row)
                if number:
                    body += f" \\qquad\\text{{{number if starred else '(' + number + ')'}}}"
                parts.append(body)
            body = " \\\\\n".join(p for p in parts if p.strip())
        else:
            body = clean(tex)
        if wrapper:
            name, cols = (
                (wrapper[:9], wrapper[9:]) if wrapper.startswith("alignedat") else (wrapper, "")
            )
            body = f"\\begin{{{name}}}{'{' + cols + '}' if cols else ''}\n{body}\n\\end{{{name}}}"
        if len(shown) == 1:
            number, starred = shown[0]
            body += f" \\tag{'*' if starred else ''}{{{number}}}"
        if not body.strip():
            return ""
        return self.block(one_paragraph_math(f"$$\n{body}\n$$", nested=self.in_list > 0))
