"""The paper's own simple macros and environments: collected, then expanded.

Supported: `\\newcommand`, `\\renewcommand`, `\\providecommand` (starred too, and the
`\\algnewcommand` family), with or without braces around the name, `[n]` arguments
and one optional first argument with a default; `\\def\\name#1#2{...}` with
undelimited parameters; `\\DeclareMathOperator`; `\\NewDocumentCommand` with `m`
arguments; `\\let` to a macro already known; and `\\newenvironment` /
`\\renewenvironment`, whose begin and end code replace `\\begin{name}` and `\\end{name}`
(so a list environment of the paper's own keeps its `\\item`s). Commands the
converter gives structure to (sections, cites, labels...) are never redefined here,
so a paper's styling of them cannot hide them. Every expansion is charged to a
`Budget`, so a definition that grows without end stops with a clear error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .budget import Budget
from .scan import command_at, read_group, read_optional

PROTECTED = frozenset(
    """begin end section subsection subsubsection paragraph subparagraph chapter part
    appendix cite citep citet citealp citealt citeauthor citeyear citen citenum ref eqref
    autoref cref Cref label caption subcaption subfloat subfigure item footnote
    footnotemark footnotetext input include bibliography bibitem emph textbf textit
    texttt url href newcommand renewcommand providecommand def maketitle title author
    thanks and abstract keywords newenvironment renewenvironment newtheorem""".split()
)
MAX_DEPTH = 32  # a macro that expands to itself stops here instead of looping


@dataclass(frozen=True)
class Macro:
    nargs: int
    body: str
    default: str | None = None  # the optional first argument's default


@dataclass(frozen=True)
class Environment:
    nargs: int
    begin: str
    end: str
    default: str | None = None


_DEFINERS = re.compile(
    r"\\(newcommand|renewcommand|providecommand|DeclareRobustCommand|def|gdef|edef|xdef"
    r"|DeclareMathOperator|algnewcommand|algrenewcommand|NewDocumentCommand"
    r"|RenewDocumentCommand|ProvideDocumentCommand|DeclareDocumentCommand|let)\*?(?![A-Za-z@])"
)
_ENV_DEFINERS = re.compile(
    r"\\(newenvironment|renewenvironment|provideenvironment)\*?(?![A-Za-z@])"
)
_TOKEN = re.compile(r"\\(?:([A-Za-z@]+)|.)", re.S)
_WORD_END = re.compile(r"\\[A-Za-z@]+$")


def _read_name(text: str, i: int) -> tuple[str | None, int]:
    group, j = read_group(text, i)
    if group is None:
        return None, i
    group = group.strip()
    if group.startswith("\\"):
        name, _ = command_at(group, 0)
        return name, j
    return None, i


def parse_definition(
    kind: str, text: str, i: int, macros: dict[str, Macro]
) -> tuple[str | None, Macro | None, int]:
    """(name, macro, end) of the definition whose arguments start at ``i``; a None
    macro with a name means "a definition we do not model, drop it"."""
    name, j = _read_name(text, i)
    if name is None:
        return None, None, i
    if kind == "let":
        m = re.match(r"\s*=?\s*", text[j:])
        other, k = _read_name(text, j + (m.end() if m else 0))
        if other is None:
            return None, None, i
        return name, macros.get(other), k
    if kind == "DeclareMathOperator":
        star = text.startswith("*", i - 1)
        body, j = read_group(text, j)
        return name, Macro(0, f"\\operatorname{'*' if star else ''}{{{body or ''}}}"), j
    if kind in ("def", "gdef", "edef", "xdef"):
        params = re.match(r"(?:#\d)*", text[j:])
        nargs = len(params.group(0)) // 2 if params else 0
        j += len(params.group(0)) if params else 0
        if j < len(text) and text[j] != "{":
            return None, None, i  # delimited parameters: not a simple macro
        body, j = read_group(text, j)
        return name, Macro(nargs, body or ""), j
    if kind.endswith("DocumentCommand"):
        spec, k = read_group(text, j)
        body, k = read_group(text, k)
        if spec is None or body is None:
            return None, None, i
        spec = spec.replace(" ", "")
        default = None
        om = re.match(r"O\{([^{}]*)\}", spec)
        if om:
            default, spec = om.group(1), spec[om.end() :]
        if set(spec) - {"m"}:
            return name, None, k  # argument kinds we do not model
        return name, Macro(len(spec) + (default is not None), body, default), k
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
        kind = m.group(1)
        name, macro, end = parse_definition(kind, text, m.end(), macros)
        if name is None:
            continue
        if macro is not None and name not in PROTECTED and "@" not in name:
            if not kind.startswith("provide") or name not in macros:
                macros[name] = macro
        out.append(text[last : m.start()])
        last = end
    out.append(text[last:])
    return macros, "".join(out)


def collect_environments(
    text: str, keep: frozenset[str] = frozenset()
) -> tuple[dict[str, Environment], str]:
    """(environments defined in ``text``, ``text`` without those definitions); the
    names in ``keep`` (environments the renderer knows) are never replaced."""
    envs: dict[str, Environment] = {}
    out, last = [], 0
    for m in _ENV_DEFINERS.finditer(text):
        if m.start() < last:
            continue
        name, j = read_group(text, m.end())
        count, j = read_optional(text, j)
        default, j = read_optional(text, j)
        begin, j = read_group(text, j)
        end, j = read_group(text, j)
        if name is None or begin is None or end is None:
            continue
        name = name.strip()
        nargs = int(count) if count and count.strip().isdigit() else 0
        if name not in keep and "@" not in name:
            if m.group(1) != "provideenvironment" or name not in envs:
                envs[name] = Environment(nargs, begin, end, default)
        out.append(text[last : m.start()])
        last = j
    out.append(text[last:])
    return envs, "".join(out)


def _substitute(body: str, args: list[str]) -> str:
    def arg(m: re.Match[str]) -> str:
        if m.group(0) == "##":
            return "#"
        k = int(m.group(1)) - 1
        value = args[k] if k < len(args) else ""
        # TeX reads the body's tokens before it substitutes: `\displaystyle#1` with
        # `x` is `\displaystyle` then `x`, never the control word `\displaystylex`.
        if value[:1].isalpha() and _WORD_END.search(body, 0, m.start()):
            return " " + value
        return value

    return re.sub(r"##|#(\d)", arg, body)


def _read_args(text: str, j: int, nargs: int, default: str | None) -> tuple[list[str], int]:
    args: list[str] = []
    if default is not None:
        opt, j = read_optional(text, j)
        args.append(opt if opt is not None else default)
    while len(args) < nargs:
        group, j2 = read_group(text, j)
        if group is None:
            break
        args.append(group)
        j = j2
    return args, j


def expand(
    text: str,
    macros: dict[str, Macro],
    depth: int = 0,
    budget: Budget | None = None,
    envs: dict[str, Environment] | None = None,
) -> str:
    """``text`` with every use of ``macros`` (and of ``envs``) replaced by its body,
    arguments filled; each replacement is charged to ``budget``."""
    envs = envs or {}
    if (not macros and not envs) or depth > MAX_DEPTH:
        return text
    budget = budget if budget is not None else Budget()
    out, i = [], 0
    for m in _TOKEN.finditer(text):
        if m.start() < i:
            continue
        name = m.group(1)
        if name in ("begin", "end") and envs:
            env_name, j = read_group(text, m.end())
            env_key = (env_name or "").strip()
            env = envs.get(env_key)
            if env is None:
                continue
            if name == "begin":
                args, j = _read_args(text, j, env.nargs, env.default)
                body = _substitute(env.begin, args)
            else:
                body = env.end
            budget.charge_expansion(env_key, len(body))
            out.append(text[i : m.start()])
            out.append(expand(body, macros, depth + 1, budget, envs))
            i = j
            continue
        macro = macros.get(name) if name else None
        if macro is None:
            continue
        out.append(text[i : m.start()])
        args, j = _read_args(text, m.end(), macro.nargs, macro.default)
        body = _substitute(macro.body, args)
        budget.charge_expansion(name, len(body))
        # A space after an argument-less macro is kept: it reads as xspace does.
        expanded = expand(body, macros, depth + 1, budget, envs)
        tail = "".join(out[-2:])[-64:]
        if expanded[:1].isalpha() and _WORD_END.search(tail):
            out.append(" ")  # "\\y\\x" must not become the control word "\\yabc"
        out.append(expanded)
        i = j
    out.append(text[i:])
    return "".join(out)
