"""The paper's own simple macros: collected from `\\newcommand`/`\\def`, then expanded.

Supported: `\\newcommand`, `\\renewcommand`, `\\providecommand` (starred too), with or
without braces around the name, `[n]` arguments and one optional first argument
with a default; `\\def\\name#1#2{...}` with undelimited parameters; and
`\\DeclareMathOperator`. Commands the converter gives structure to (sections, cites,
labels...) are never redefined here, so a paper's styling of them cannot hide them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .scan import command_at, read_group, read_optional

PROTECTED = frozenset(
    """begin end section subsection subsubsection paragraph subparagraph chapter part
    appendix cite citep citet ref eqref autoref cref Cref label caption item footnote
    input include bibliography bibitem emph textbf textit texttt url href newcommand
    renewcommand providecommand def""".split()
)
MAX_DEPTH = 32  # a macro that expands to itself stops here instead of looping


@dataclass(frozen=True)
class Macro:
    nargs: int
    body: str
    default: str | None = None  # the optional first argument's default


_DEFINERS = re.compile(
    r"\\(newcommand|renewcommand|providecommand|DeclareRobustCommand|def|gdef"
    r"|DeclareMathOperator)\*?(?![A-Za-z@])"
)
_TOKEN = re.compile(r"\\(?:([A-Za-z@]+)|.)", re.S)


def _read_name(text: str, i: int) -> tuple[str | None, int]:
    group, j = read_group(text, i)
    if group is None:
        return None, i
    group = group.strip()
    if group.startswith("\\"):
        name, _ = command_at(group, 0)
        return name, j
    return None, i


def _parse_definition(kind: str, text: str, i: int) -> tuple[str | None, Macro | None, int]:
    """(name, macro, end) of the definition whose arguments start at ``i``."""
    name, j = _read_name(text, i)
    if name is None:
        return None, None, i
    if kind == "DeclareMathOperator":
        body, j = read_group(text, j)
        return name, Macro(0, "\\operatorname{" + (body or "") + "}"), j
    if kind in ("def", "gdef"):
        params = re.match(r"(?:#\d)*", text[j:])
        nargs = len(params.group(0)) // 2 if params else 0
        j += len(params.group(0)) if params else 0
        if j < len(text) and text[j] != "{":
            return None, None, i  # delimited parameters: not a simple macro
        body, j = read_group(text, j)
        return name, Macro(nargs, body or ""), j
    count, k = read_optional(text, j)
    nargs = int(count) if count and count.strip().isdigit() else 0
    default, k = read_optional(text, k)
    body, k = read_group(text, k)
    if body is None:
        return None, None, i
    return name, Macro(nargs, body, default), k


def collect(text: str) -> tuple[dict[str, Macro], str]:
    """(macros defined in ``text``, ``text`` without those definitions)."""
    macros: dict[str, Macro] = {}
    out, last = [], 0
    for m in _DEFINERS.finditer(text):
        if m.start() < last:
            continue
        name, macro, end = _parse_definition(m.group(1), text, m.end())
        if name is None or macro is None:
            continue
        if name not in PROTECTED and "@" not in name:
            if m.group(1) != "providecommand" or name not in macros:
                macros[name] = macro
        out.append(text[last : m.start()])
        last = end
    out.append(text[last:])
    return macros, "".join(out)


def _substitute(body: str, args: list[str]) -> str:
    def arg(m: re.Match[str]) -> str:
        if m.group(0) == "##":
            return "#"
        k = int(m.group(1)) - 1
        return args[k] if k < len(args) else ""

    return re.sub(r"##|#(\d)", arg, body)


def expand(text: str, macros: dict[str, Macro], depth: int = 0) -> str:
    """``text`` with every use of ``macros`` replaced by its body, arguments filled."""
    if not macros or depth > MAX_DEPTH:
        return text
    out, i = [], 0
    for m in _TOKEN.finditer(text):
        if m.start() < i:
            continue
        name = m.group(1)
        macro = macros.get(name) if name else None
        if macro is None:
            continue
        out.append(text[i : m.start()])
        j = m.end()
        args: list[str] = []
        if macro.default is not None:
            opt, j = read_optional(text, j)
            args.append(opt if opt is not None else macro.default)
        while len(args) < macro.nargs:
            group, j2 = read_group(text, j)
            if group is None:
                break
            args.append(group)
            j = j2
        # A space after an argument-less macro is kept: it reads as xspace does.
        body = expand(_substitute(macro.body, args), macros, depth + 1)
        out.append(body)
        i = j
    out.append(text[i:])
    return "".join(out)
