"""Algorithms: `algorithm2e` and `algorithmic`/`algpseudocode` bodies as code blocks.

A pseudocode body becomes a fenced block of plain lines, one statement a line,
indented four spaces per nesting level, with the package's own keywords ("if ...
then", "end for"); math stays as `$...$` source. Keyword definitions
(`\\SetKwProg`, `\\SetKwFunction`, `\\SetKwInOut`...) define how later commands read
and print nothing themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...markdown import fenced
from .scan import read_group, read_optional
from .state import RenderState

INDENT = "    "

# algorithm2e blocks: name -> (opening line, closing line or None, test arguments).
# "{0}" is the condition; a closing None means "no end line" (the u- forms).
_A2E_BLOCKS = {
    "If": ("if {0} then", "end", 1),
    "uIf": ("if {0} then", None, 1),
    "ElseIf": ("else if {0} then", "end", 1),
    "uElseIf": ("else if {0} then", None, 1),
    "Else": ("else", "end", 0),
    "uElse": ("else", None, 0),
    "For": ("for {0} do", "end", 1),
    "ForEach": ("foreach {0} do", "end", 1),
    "ForAll": ("forall {0} do", "end", 1),
    "While": ("while {0} do", "end", 1),
    "Switch": ("switch {0} do", "end", 1),
    "Case": ("case {0} do", "end", 1),
    "uCase": ("case {0} do", None, 1),
    "Other": ("otherwise do", "end", 0),
    "Begin": ("begin", "end", 0),
}
# One-line forms: \lIf{cond}{statement}.
_A2E_LINES = {
    "lIf": "if {0} then {1}",
    "lElseIf": "else if {0} then {1}",
    "lElse": "else {0}",
    "lFor": "for {0} do {1}",
    "lForEach": "foreach {0} do {1}",
    "lForAll": "forall {0} do {1}",
    "lWhile": "while {0} do {1}",
    "lCase": "case {0} do {1}",
    "lOther": "otherwise do {0}",
}
_A2E_INPUTS = {"KwIn": "Input", "KwOut": "Output", "KwData": "Data", "KwResult": "Result"}
_A2E_WORDS = {"KwTo": "to", "KwFrom": "from", "KwRet": "return", "Return": "return"}
# Setup commands that print nothing: name -> number of braced arguments.
_A2E_SETUP = {
    "DontPrintSemicolon": 0,
    "PrintSemicolon": 0,
    "SetAlgoLined": 0,
    "SetAlgoNoLine": 0,
    "SetAlgoVlined": 0,
    "SetAlgoNoEnd": 0,
    "LinesNumbered": 0,
    "LinesNotNumbered": 0,
    "LinesNumberedHidden": 0,
    "SetNoFillComment": 0,
    "SetFillComment": 0,
    "SetSideCommentLeft": 0,
    "SetSideCommentRight": 0,
    "SetAlFnt": 1,
    "SetAlCapFnt": 1,
    "SetAlCapNameFnt": 1,
    "SetAlTitleFnt": 1,
    "SetKwSty": 1,
    "SetArgSty": 1,
    "SetFuncSty": 1,
    "SetDataSty": 1,
    "SetCommentSty": 1,
    "SetNlSty": 3,
    "SetProcNameSty": 1,
    "SetProcArgSty": 1,
    "SetAlgoCaptionSeparator": 1,
    "SetAlgorithmName": 3,
    "SetAlgoSkip": 1,
    "SetAlgoInsideSkip": 1,
    "SetInd": 2,
    "IncMargin": 1,
    "DecMargin": 1,
    "SetVlineSkip": 1,
    "SetNlSkip": 1,
    "SetAlgoBlockMarkers": 2,
    "AlgoDisplayBlockMarkers": 0,
    "AlgoDontDisplayBlockMarkers": 0,
    "SetStartEndCondition": 3,
    "ResetInOut": 1,
    "SetKwComment": 3,
    "nl": 0,
    "nonl": 0,
    "lnl": 1,
    "label": 1,
    "BlankLine": 0,
    "vspace": 1,
    "small": 0,
    "footnotesize": 0,
    "scriptsize": 0,
}

# algorithmic (upper case) and algpseudocode statements:
# name -> (what it does, keyword, braced arguments).
_STEPS = {
    "State": ("line", "", 0),
    "STATE": ("line", "", 0),
    "Statex": ("line", "", 0),
    "Require": ("line", "require", 0),
    "REQUIRE": ("line", "require", 0),
    "Ensure": ("line", "ensure", 0),
    "ENSURE": ("line", "ensure", 0),
    "RETURN": ("line", "return", 0),
    "PRINT": ("line", "print", 0),
    "If": ("open", "if", 1),
    "IF": ("open", "if", 1),
    "ElsIf": ("middle", "elsif", 1),
    "ELSIF": ("middle", "elsif", 1),
    "Else": ("middle", "else", 0),
    "ELSE": ("middle", "else", 0),
    "EndIf": ("close", "endif", 0),
    "ENDIF": ("close", "endif", 0),
    "For": ("open", "for", 1),
    "FOR": ("open", "for", 1),
    "ForAll": ("open", "forall", 1),
    "FORALL": ("open", "forall", 1),
    "EndFor": ("close", "endfor", 0),
    "ENDFOR": ("close", "endfor", 0),
    "While": ("open", "while", 1),
    "WHILE": ("open", "while", 1),
    "EndWhile": ("close", "endwhile", 0),
    "ENDWHILE": ("close", "endwhile", 0),
    "Repeat": ("open", "repeat", 0),
    "REPEAT": ("open", "repeat", 0),
    "Until": ("until", "until", 1),
    "UNTIL": ("until", "until", 1),
    "Loop": ("open", "loop", 0),
    "LOOP": ("open", "loop", 0),
    "EndLoop": ("close", "endloop", 0),
    "ENDLOOP": ("close", "endloop", 0),
    "Function": ("open", "function", 2),
    "EndFunction": ("close", "endfunction", 0),
    "Procedure": ("open", "procedure", 2),
    "EndProcedure": ("close", "endprocedure", 0),
}
# Default words (algpseudocode's \algorithmic<name>); a paper's \algrenewcommand wins.
_WORDS = {
    "require": "Require:",
    "ensure": "Ensure:",
    "if": "if",
    "then": "then",
    "else": "else",
    "elsif": "else if",
    "end": "end",
    "for": "for",
    "forall": "for all",
    "do": "do",
    "while": "while",
    "repeat": "repeat",
    "until": "until",
    "loop": "loop",
    "return": "return",
    "function": "function",
    "procedure": "procedure",
    "print": "print",
    "and": "and",
    "or": "or",
    "not": "not",
    "to": "to",
    "true": "true",
    "false": "false",
}
_STEP = re.compile(r"\\(" + "|".join(sorted(_STEPS, key=len, reverse=True)) + r")(?![A-Za-z@])\*?")
_INLINE_WORDS = re.compile(r"\\(Return|AND|OR|NOT|TO|TRUE|FALSE)(?![A-Za-z@])")
_CS = re.compile(r"\\([A-Za-z@]+|.)", re.S)
_ALGORITHMIC = re.compile(r"\\begin\{algorithmicx?\}")
_ALGORITHMIC_END = re.compile(r"\\end\{algorithmicx?\}")


@dataclass(frozen=True)
class _Keyword:
    kind: str  # "prog", "function", "input", "word", "block", "for", "if"
    words: tuple[str, ...]


class AlgorithmsMixin(RenderState):
    """Renderer methods for pseudocode (mixed into `Renderer`)."""

    def code_block(self, lines: list[tuple[int, str]]) -> str:
        text = "\n".join(INDENT * depth + line for depth, line in lines)
        if not text.strip():
            return ""
        return self.block(fenced(text, "text"))

    # -- algorithm2e ---------------------------------------------------------------

    def algorithm2e_float(self, body: str) -> str:
        """An algorithm2e ``algorithm`` float: its caption, then its body as code.
        A paper that loads algorithm2e may still write an ``algorithmic`` body inside
        it: that body is rendered as algorithmic, and its line labels stay its own."""
        caption, rest = _pull_command(body, "caption")
        label, rest = _pull_command(rest, "label")
        parts = []
        self.float_stack.append(("Algorithm", self.next_number("Algorithm")))
        try:
            if caption is not None:
                parts.append(self.caption(caption))
            if label is not None and self.current is not None:
                self.labels.setdefault(label.strip(), self.current)
        finally:
            self.float_stack.pop()
        if _ALGORITHMIC.search(rest):
            parts.append(self.render(rest))
            return "".join(parts)
        keywords: dict[str, _Keyword] = {}
        lines: list[tuple[int, str]] = []
        self.a2e_lines(rest, 0, lines, keywords)
        parts.append(self.code_block(lines))
        return "".join(parts)

    def a2e_lines(
        self, s: str, depth: int, lines: list[tuple[int, str]], kw: dict[str, _Keyword]
    ) -> None:
        """Append the statements of an algorithm2e body to ``lines``."""
        buf: list[str] = []

        def flush() -> None:
            raw = "".join(buf)
            buf.clear()
            # Leading \quad/\qquad: the author's own indentation.
            lead = re.match(r"\s*((?:\\q?quad(?![A-Za-z])\s*)*)", raw)  # matches any text
            extra = lead.group(1).count("\\") if lead else 0
            text = self.plain_line(raw)
            if text:
                lines.append((depth + extra, text))

        def args(j: int, count: int) -> tuple[list[str], int]:
            got = []
            for _ in range(count):
                _, j = read_optional(s, j)
                arg, j = read_group(s, j)
                got.append(arg or "")
            return got, j

        i, n = 0, len(s)
        while i < n:
            m = re.search(r"\\([A-Za-z@]+|.)|\n[ \t]*\n", s[i:])
            if m is None:
                buf.append(s[i:])
                break
            start, end = i + m.start(), i + m.end()
            buf.append(s[i:start])
            name = m.group(1)
            i = end
            if name is None or name in (";", "\\"):  # a blank line, \; or \\ end a line
                if name == "\\":
                    _, i = read_optional(s, i)
                flush()
                continue
            if name.startswith("SetKw"):
                i = self.a2e_define(name, s, i, kw)
                continue
            if name in _A2E_SETUP:
                if s.startswith("*", i):
                    i += 1
                _, i = args(i, _A2E_SETUP[name])
                if name == "BlankLine":
                    flush()
                continue
            if name in ("Indp", "Indm"):
                flush()
                depth += 1 if name == "Indp" else -1
                depth = max(depth, 0)
                continue
            if name in ("tcc", "tcp"):
                star = s.startswith("*", i)
                i += 1 if star else 0
                (text,), i = args(i, 1)
                mark = ("/* ", " */") if name.startswith("tcc") else ("// ", "")
                buf.append(f"\\refsalgotext{{{mark[0]}}}{text}\\refsalgotext{{{mark[1]}}}")
                if not star:
                    flush()
                continue
            if name in _A2E_BLOCKS or (name in kw and kw[name].kind in ("if", "for", "block")):
                flush()
                self.a2e_block(name, s, i, depth, lines, kw)
                i = self.a2e_block_end(name, s, i, kw)
                continue
            if name in ("eIf", "leIf"):
                flush()
                (cond, yes, no), i = args(i, 3)
                c = self.a2e_text(cond, kw)
                if name == "leIf":
                    lines.append(
                        (depth, f"if {c} then {self.plain_line(yes)} else {self.plain_line(no)}")
                    )
                    continue
                lines.append((depth, f"if {c} then"))
                self.a2e_lines(yes, depth + 1, lines, kw)
                lines.append((depth, "else"))
                self.a2e_lines(no, depth + 1, lines, kw)
                lines.append((depth, "end"))
                continue
            if name in _A2E_LINES:
                flush()
                count = _A2E_LINES[name].count("{")
                parts, i = args(i, count)
                lines.append(
                    (depth, _A2E_LINES[name].format(*(self.a2e_text(p, kw) for p in parts)))
                )
                continue
            if name in ("Repeat", "lRepeat"):
                flush()
                (cond, body), i = args(i, 2)
                if name == "lRepeat":
                    lines.append(
                        (depth, f"repeat {self.plain_line(body)} until {self.plain_line(cond)}")
                    )
                    continue
                lines.append((depth, "repeat"))
                self.a2e_lines(body, depth + 1, lines, kw)
                lines.append((depth, f"until {self.plain_line(cond)}"))
                continue
            if name in _A2E_INPUTS or (name in kw and kw[name].kind == "input"):
                flush()
                word = _A2E_INPUTS.get(name) or kw[name].words[0]
                (text,), i = args(i, 1)
                lines.append((depth, f"{word}: {self.plain_line(text)}".rstrip()))
                continue
            if name in ("KwRet", "Return"):
                (text,), i = args(i, 1)
                buf.append(f"\\refsalgotext{{return }}{text}")
                continue
            if name in _A2E_WORDS:
                buf.append(f"\\refsalgotext{{{_A2E_WORDS[name]}}}")
                continue
            if name in kw and kw[name].kind == "prog":
                flush()
                (signature, body), i = args(i, 2)
                title, begin_word, stop = kw[name].words
                head = " ".join(x for x in (title, self.a2e_text(signature, kw), begin_word) if x)
                lines.append((depth, head.strip()))
                self.a2e_lines(body, depth + 1, lines, kw)
                if stop:
                    lines.append((depth, stop))
                continue
            if name in kw and kw[name].kind == "function":
                (text,), i = args(i, 1)
                buf.append(f"\\refsalgotext{{{kw[name].words[0]}(}}{text}\\refsalgotext{{)}}")
                continue
            if name in kw and kw[name].kind == "word":
                if s.startswith("{", i) and kw[name].words[1] == "arg":
                    (text,), i = args(i, 1)
                    buf.append(f"\\refsalgotext{{{kw[name].words[0]} }}{text}")
                else:
                    buf.append(f"\\refsalgotext{{{kw[name].words[0]}}}")
                continue
            # Anything else is text of the current statement.
            buf.append(s[start:end])
        flush()

    def a2e_text(self, latex: str, kw: dict[str, _Keyword]) -> str:
        """Inline algorithm2e text (a condition, a signature) as one plain line, with the
        paper's own function and word keywords spelled out."""
        out, i = [], 0
        for m in _CS.finditer(latex):
            if m.start() < i:
                continue
            name = m.group(1)
            keyword = kw.get(name)
            if keyword is None and name not in _A2E_WORDS:
                continue
            out.append(latex[i : m.start()])
            j = m.end()
            if keyword is not None and keyword.kind == "function":
                arg, j = read_group(latex, j)
                out.append(f"\\refsalgotext{{{keyword.words[0]}(}}{arg or ''}\\refsalgotext{{)}}")
            elif keyword is not None:
                out.append(f"\\refsalgotext{{{keyword.words[0]}}}")
            else:
                out.append(f"\\refsalgotext{{{_A2E_WORDS[name]}}}")
            i = j
        out.append(latex[i:])
        return self.plain_line("".join(out))

    def a2e_define(self, name: str, s: str, i: int, kw: dict[str, _Keyword]) -> int:
        """``\\SetKw...`` definitions: remember how the new command reads."""
        counts = {
            "SetKwProg": 4,
            "SetKwFunction": 2,
            "SetKwInOut": 2,
            "SetKwInput": 2,
            "SetKw": 2,
            "SetKwData": 2,
            "SetKwArray": 2,
            "SetKwBlock": 3,
            "SetKwFor": 4,
            "SetKwIF": 8,
            "SetKwSwitch": 9,
            "SetKwRepeat": 3,
            "SetKwHangingKw": 2,
        }
        count = counts.get(name, 2)
        got = []
        for _ in range(count):
            arg, i = read_group(s, i)
            got.append((arg or "").strip())
        cmd = got[0].lstrip("\\")
        words = [self.plain_line(x) for x in got[1:]]
        if name == "SetKwProg":
            kw[cmd] = _Keyword("prog", tuple(words[:3]))
        elif name == "SetKwFunction":
            kw[cmd] = _Keyword("function", (words[0],))
        elif name in ("SetKwInOut", "SetKwInput"):
            kw[cmd] = _Keyword("input", (words[0],))
        elif name == "SetKwBlock":
            kw[cmd] = _Keyword("block", tuple(words[:2]))
        elif name == "SetKwFor":
            kw[cmd] = _Keyword("for", tuple(words[:3]))
        elif name == "SetKwIF":
            names = [x.lstrip("\\") for x in got[:3]]
            for cs in names:
                kw[cs] = _Keyword("if", tuple(words[2:]))
        else:
            kw[cmd] = _Keyword(
                "word", (words[0] if words else cmd, "arg" if name == "SetKw" else "")
            )
        return i

    def a2e_block(
        self,
        name: str,
        s: str,
        i: int,
        depth: int,
        lines: list[tuple[int, str]],
        kw: dict[str, _Keyword],
    ) -> None:
        closing: str | None  # None: the block prints no closing line
        if name in kw and kw[name].kind == "block":
            opening, closing = (
                kw[name].words[0],
                kw[name].words[1] if len(kw[name].words) > 1 else "",
            )
            tests = 0
        elif name in kw and kw[name].kind == "for":
            word, do, end = (list(kw[name].words) + ["", "", ""])[:3]
            opening, closing, tests = f"{word} {{0}} {do}", end, 1
        elif name in kw and kw[name].kind == "if":
            opening, closing, tests = _A2E_BLOCKS.get(name, ("if {0} then", "end", 1))
        else:
            opening, closing, tests = _A2E_BLOCKS[name]
        got = []
        for _ in range(tests + 1):
            _, i = read_optional(s, i)
            arg, i = read_group(s, i)
            got.append(arg or "")
        lines.append((depth, opening.format(*(self.a2e_text(x, kw) for x in got[:tests]))))
        self.a2e_lines(got[-1], depth + 1, lines, kw)
        if closing:
            lines.append((depth, closing))

    def a2e_block_end(self, name: str, s: str, i: int, kw: dict[str, _Keyword]) -> int:
        if name in kw and kw[name].kind == "block":
            tests = 0
        elif name in kw:
            tests = 1
        else:
            tests = _A2E_BLOCKS[name][2]
        for _ in range(tests + 1):
            _, i = read_optional(s, i)
            _, i = read_group(s, i)
        return i

    # -- algorithmic / algpseudocode ---------------------------------------------------

    def word(self, name: str) -> str:
        macro = self.macros.get("algorithmic" + name)
        if macro is not None and not macro.nargs:
            return self.plain_line(macro.body)
        return _WORDS.get(name, name)

    def algorithmic_block(self, body: str) -> str:
        _, k = read_optional(body, 0)
        body = body[k:]
        lines: list[tuple[int, str]] = []
        depth = 0
        steps = list(_STEP.finditer(body))
        if steps and body[: steps[0].start()].strip():
            lines.append((0, self.algo_text(body[: steps[0].start()])))
        for n, m in enumerate(steps):
            kind, key, nargs = _STEPS[m.group(1)]
            stop = steps[n + 1].start() if n + 1 < len(steps) else len(body)
            j = m.end()
            got = []
            for _ in range(nargs):
                arg, j = read_group(body, j)
                got.append(self.algo_text(arg or ""))
            rest = self.algo_text(body[j:stop])
            if kind == "line":
                head = self.word(key) if key else ""
                lines.append((depth, " ".join(x for x in (head, rest) if x)))
                continue
            if kind in ("close", "until"):
                depth = max(depth - 1, 0)
                if kind == "until":
                    lines.append((depth, f"{self.word('until')} {got[0]} {rest}".strip()))
                elif not self.algo_noend:
                    end = (
                        self.word(key)
                        if ("algorithmic" + key) in self.macros
                        else (f"{self.word('end')} {self.word(key[3:])}")
                    )
                    lines.append((depth, f"{end} {rest}".strip()))
                elif rest:
                    lines.append((depth, rest))
                continue
            if kind == "middle":
                depth = max(depth - 1, 0)
            if key in ("if", "elsif"):
                head = f"{self.word(key)} {got[0]} {self.word('then')}"
            elif key in ("for", "forall", "while"):
                head = f"{self.word(key)} {got[0]} {self.word('do')}"
            elif key in ("function", "procedure"):
                head = f"{self.word(key)} {got[0]}({got[1]})"
            else:
                head = self.word(key)
            lines.append((depth, f"{head} {rest}".strip()))
            depth += 1
        return self.code_block([(d, t) for d, t in lines if t])

    def algo_text(self, latex: str) -> str:
        """A statement's text: algpseudocode's inline commands, then plain rendering."""

        def call(m: re.Match[str]) -> str:
            return f"\\refsalgotext{{{self.word(m.group(1).lower())}}}"

        out, i = [], 0
        for m in re.finditer(r"\\(Comment|COMMENT|Call|CALL)(?![A-Za-z@])", latex):
            if m.start() < i:
                continue
            out.append(latex[i : m.start()])
            first, j = read_group(latex, m.end())
            if m.group(1).lower() == "call":
                second, j = read_group(latex, j)
                out.append(f"{first}\\refsalgotext{{(}}{second or ''}\\refsalgotext{{)}}")
            else:
                comment = self.macros.get("algorithmiccomment")
                if comment is not None and comment.nargs == 1:
                    out.append(comment.body.replace("#1", first or ""))
                else:
                    out.append(f"\\refsalgotext{{ ▷ }}{first or ''}")
            i = j
        out.append(latex[i:])
        return self.plain_line(_INLINE_WORDS.sub(call, "".join(out)))


def _pull_command(body: str, name: str) -> tuple[str | None, str]:
    """(argument of the first top-level ``\\name{...}``, ``body`` without it): one
    inside an ``algorithmic`` body (a line's label) is that body's, not the float's."""
    inner = [(b.start(), e.end()) for b, e in _algorithmic_spans(body)]
    m = next(
        (
            m
            for m in re.finditer(r"\\" + name + r"(?![A-Za-z@])\s*", body)
            if not any(a <= m.start() < z for a, z in inner)
        ),
        None,
    )
    if m is None:
        return None, body
    _, j = read_optional(body, m.end())
    arg, j = read_group(body, j)
    return arg, body[: m.start()] + body[j:]


def _algorithmic_spans(body: str) -> list[tuple[re.Match[str], re.Match[str]]]:
    """(begin, end) matches of the ``algorithmic`` environments in ``body``."""
    spans = []
    for begin in _ALGORITHMIC.finditer(body):
        end = _ALGORITHMIC_END.search(body, begin.end())
        if end is not None:
            spans.append((begin, end))
    return spans
