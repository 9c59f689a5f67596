"""Conditionals: the branches TeX would skip are removed before anything is rendered.

Authors switch text off with `\\iffalse ... \\fi`, `\\if 0 ... \\fi`, flags made with
`\\newif` (`\\newif\\ifdraft \\drafttrue`), `\\def\\x{0} \\if\\x1 ... \\else ... \\fi`,
`\\ifdefined`, `\\ifx`, `\\ifnum`, `ifthen`'s `\\ifthenelse` and `etoolbox`'s toggles and
booleans. `resolve` walks the text once, as TeX reads it: definitions and flag
settings update the state in order, each conditional is evaluated with the state of
that moment, and only the branch TeX would take is kept. Nested conditionals in a
skipped branch are counted, as TeX counts them. Macro bodies are copied unevaluated
(their conditionals are evaluated where the macro is used, in a second pass over
the expanded text). A condition that cannot be decided from the source alone
(`\\ifmmode`, `\\ifdim`, a package's own flag) keeps its first branch, and the note
says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from .macros import Macro, parse_definition
from .scan import read_group, read_optional

_CS = re.compile(r"\\([A-Za-z@]+|.)", re.S)
_DOLLARS = re.compile(r"\$\$|\$")
_ENV_NAME = re.compile(r"\s*\{([^}]*)\}")
_MATH_ENVS = {
    "equation",
    "align",
    "gather",
    "multline",
    "eqnarray",
    "displaymath",
    "math",
    "flalign",
    "alignat",
    "dmath",
}

# Control sequences starting with "if" that are not conditionals: macros taking
# braced branches (handled here when their test can be decided), or symbols.
_MACRO_IFS = {
    # name: (test arguments, branch arguments)
    "ifthenelse": (1, 2),
    "iftoggle": (1, 2),
    "ifbool": (1, 2),
    "ifdef": (1, 2),
    "ifundef": (1, 2),
    "ifcsdef": (1, 2),
    "ifcsundef": (1, 2),
    "ifdefmacro": (1, 2),
    "ifcsmacro": (1, 2),
    "ifdefempty": (1, 2),
    "ifcsempty": (1, 2),
    "ifdefvoid": (1, 2),
    "ifcsvoid": (1, 2),
    "ifstrequal": (2, 2),
    "ifdefequal": (2, 2),
    "ifcsequal": (2, 2),
    "ifdefstring": (2, 2),
    "ifcsstring": (2, 2),
    "ifstrempty": (1, 2),
    "ifblank": (1, 2),
    "ifnumcomp": (3, 2),
    "ifnumequal": (2, 2),
    "ifnumgreater": (2, 2),
    "ifnumless": (2, 2),
    "ifnumodd": (1, 2),
    "ifdimcomp": (3, 2),
    "ifboolexpr": (1, 2),
    "ifboolexpe": (1, 2),
    "ifinlist": (2, 2),
    "iflanguage": (1, 2),
    "ifdraft": (0, 2),
    "ifoptiondraft": (0, 2),
    "ifoptionfinal": (0, 2),
    "ifpackageloaded": (1, 2),
    "ifclassloaded": (1, 2),
    "@ifundefined": (1, 2),
    "@ifpackageloaded": (1, 2),
    "@ifclassloaded": (1, 2),
    "IfPackageLoadedTF": (1, 2),
    "IfClassLoadedTF": (1, 2),
}
_NOT_CONDITIONALS = {"iff"}  # the math symbol
# Flags packages set the same way for every arXiv build (pdfLaTeX).
_PACKAGE_FLAGS = {
    "ifpdf": True,
    "ifpdftex": True,
    "ifCLASSINFOpdf": True,
    "ifxetex": False,
    "ifXeTeX": False,
    "ifluatex": False,
    "ifLuaTeX": False,
    "ifluatex@": False,
}
_DEFINERS = {
    "newcommand",
    "renewcommand",
    "providecommand",
    "DeclareRobustCommand",
    "def",
    "gdef",
    "edef",
    "xdef",
    "DeclareMathOperator",
    "algnewcommand",
    "algrenewcommand",
    "NewDocumentCommand",
    "RenewDocumentCommand",
    "ProvideDocumentCommand",
    "DeclareDocumentCommand",
    "let",
}
_ENV_DEFINERS = {"newenvironment", "renewenvironment", "provideenvironment"}
_EMPTY = Macro(0, "")


@dataclass
class State:
    """What the conditionals of one document depend on, updated as the text is read."""

    macros: dict[str, Macro] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)  # \newif\ifX: X -> value
    booleans: dict[str, bool] = field(default_factory=dict)  # ifthen / etoolbox bools
    toggles: dict[str, bool] = field(default_factory=dict)  # etoolbox toggles
    class_options: frozenset[str] = frozenset()
    known: Callable[[str], bool] = lambda name: False  # commands the renderer knows
    undecided: set[str] = field(default_factory=set)  # conditionals kept by default
    in_math: bool = False  # for \ifmmode: whether the text read so far is in math
    packages: frozenset[str] = frozenset()  # packages and class the document loads

    def defined(self, name: str) -> bool:
        return (
            name in self.macros
            or name in ("relax", "empty", "@empty")
            or (name.startswith("if") and name[2:] in self.flags)
            or self.known(name)
        )

    def macro(self, name: str) -> Macro | None:
        if name in ("empty", "@empty"):
            return _EMPTY
        return self.macros.get(name)

    def is_conditional(self, name: str) -> bool:
        if not name.startswith("if") or name in _NOT_CONDITIONALS:
            return False
        if name[2:] in self.flags:
            return True  # \newif wins over a package macro of the same name
        if name in _MACRO_IFS:
            return False
        # A paper's own \newcommand{\ifsomething} is a macro, not a conditional.
        return name[2:] in self.flags or name not in self.macros


def resolve(text: str, state: State) -> str:
    """``text`` with every conditional replaced by the branch TeX would take."""
    out: list[str] = []
    taken: list[str] = []  # one entry per conditional whose kept branch we are in
    i, n = 0, len(text)
    while i < n:
        m = _CS.search(text, i)
        if m is None:
            break
        name = m.group(1)
        chunk = text[i : m.start()]
        _emit(out, chunk)
        if "$" in chunk and len(_DOLLARS.findall(chunk)) % 2:
            state.in_math = not state.in_math
        i = m.end()
        if name in ("[", "("):
            state.in_math = True
        elif name in ("]", ")"):
            state.in_math = False
        elif name in ("begin", "end"):
            env = _ENV_NAME.match(text, i)
            if env and env.group(1).rstrip("*") in _MATH_ENVS:
                state.in_math = name == "begin"
        if name in _DEFINERS:
            def_name, macro, end = parse_definition(name, text, i, state.macros)
            if def_name is not None and end > i:
                if macro is not None:
                    state.macros[def_name] = macro
                out.append(text[m.start() : end])
                i = end
            else:
                out.append(m.group(0))
            continue
        if name in _ENV_DEFINERS:
            j = _skip_env_definition(text, i)
            out.append(text[m.start() : j])
            i = j
            continue
        if name == "newif":
            flag = _CS.match(text, _skip_space(text, i))
            if flag and flag.group(1).startswith("if"):
                state.flags.setdefault(flag.group(1)[2:], False)
                i = _after_word(text, flag.end())
            continue
        if name.endswith("true") and name[:-4] in state.flags:
            state.flags[name[:-4]] = True
            i = _after_word(text, i)
            continue
        if name.endswith("false") and name[:-5] in state.flags:
            state.flags[name[:-5]] = False
            i = _after_word(text, i)
            continue
        handled = _set_boolean(name, text, i, state)
        if handled is not None:
            i = handled
            continue
        if name in _MACRO_IFS and name[2:] not in state.flags:
            chosen, j = _macro_if(name, text, i, state)
            if chosen is None:
                out.append(m.group(0))
            else:
                _emit(out, resolve(chosen, state))
                i = j
            continue
        if name == "expandafter" and _next_is_conditional(text, i, state):
            continue
        if state.is_conditional(name):
            value, j = _evaluate(name, text, i, state)
            if value is None:
                state.undecided.add(name)
                value = True
            if name == "ifcase":
                i = _after_word(text, _enter_case(text, j, int(value), state, taken))
            elif value:
                taken.append("if")
                i = _after_word(text, j) if j == i else j
            else:
                kind, after = _skip_branch(text, j, state, stop_at=("else", "fi"))
                if kind == "else":
                    taken.append("if")
                i = _after_word(text, after)
            continue
        if name in ("else", "or") and taken:
            _, i = _skip_branch(text, i, state, stop_at=("fi",))
            i = _after_word(text, i)
            taken.pop()
            continue
        if name == "fi":
            if taken:
                taken.pop()
            i = _after_word(text, i)
            continue
        if name == "else":
            continue  # an \else no conditional opened: TeX would stop here; we drop it
        out.append(m.group(0))
    _emit(out, text[i:])
    return "".join(out)


_WORD_END = re.compile(r"\\[A-Za-z@]+$")


def _emit(out: list[str], piece: str) -> None:
    """Append ``piece``; where a removed branch leaves a control word right before a
    letter, a space keeps them two tokens (TeX skips it anyway)."""
    if not piece:
        return
    if (piece[0].isalpha() or piece[0] == "@") and out and _WORD_END.search(out[-1][-64:]):
        out.append(" ")
    out.append(piece)


def _after_word(text: str, i: int) -> int:
    """Past the spaces TeX skips after a control word: blanks and one line end (but
    not the line end of a blank line, which still ends the paragraph)."""
    n = len(text)
    while i < n and text[i] in " \t":
        i += 1
    if i < n and text[i] == "\n":
        k = i + 1
        while k < n and text[k] in " \t":
            k += 1
        if k < n and text[k] != "\n":
            i = k
    return i


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


def _skip_env_definition(text: str, i: int) -> int:
    _, j = read_group(text, i)
    _, j = read_optional(text, j)
    _, j = read_optional(text, j)
    _, j = read_group(text, j)
    _, j = read_group(text, j)
    return j


def _next_is_conditional(text: str, i: int, state: State) -> bool:
    m = _CS.match(text, _skip_space(text, i))
    return bool(m and state.is_conditional(m.group(1)))


def _skip_branch(text: str, i: int, state: State, stop_at: tuple[str, ...]) -> tuple[str, int]:
    """Skip to the ``\\else``/``\\or``/``\\fi`` (one of ``stop_at``) that belongs to the
    conditional being skipped: (which one, index after it); ("", len) when unclosed."""
    depth = 0
    after_newif = False
    for m in _CS.finditer(text, i):
        name = m.group(1)
        if after_newif:
            after_newif = False
            continue
        if name == "newif":
            after_newif = True
        elif state.is_conditional(name):
            depth += 1
        elif name == "fi":
            if depth == 0:
                return "fi", m.end()
            depth -= 1
        elif depth == 0 and name in stop_at:
            return name, m.end()
    return "", len(text)


def _enter_case(text: str, i: int, number: int, state: State, taken: list[str]) -> int:
    """``\\ifcase n``: skip n ``\\or`` branches (or to ``\\else``) and enter that one."""
    for _ in range(number):
        kind, i = _skip_branch(text, i, state, stop_at=("or", "else", "fi"))
        if kind in ("else", "fi", ""):
            if kind == "else":
                taken.append("case")
            return i
    taken.append("case")
    return i


def _set_boolean(name: str, text: str, i: int, state: State) -> int | None:
    """ifthen/etoolbox booleans and toggles: update the state, drop the command."""
    if name in ("newboolean", "provideboolean", "newbool", "providebool"):
        key, j = read_group(text, i)
        state.booleans.setdefault((key or "").strip(), False)
        return j
    if name in ("newtoggle", "providetoggle"):
        key, j = read_group(text, i)
        state.toggles.setdefault((key or "").strip(), False)
        return j
    if name in ("setboolean", "setbool", "settoggle"):
        key, j = read_group(text, i)
        value, j = read_group(text, j)
        store = state.toggles if name == "settoggle" else state.booleans
        store[(key or "").strip()] = (value or "").strip().lower() == "true"
        return j
    if name in ("booltrue", "boolfalse", "toggletrue", "togglefalse"):
        key, j = read_group(text, i)
        store = state.toggles if name.startswith("toggle") else state.booleans
        store[(key or "").strip()] = name.endswith("true")
        return j
    return None


def _macro_if(name: str, text: str, i: int, state: State) -> tuple[str | None, int]:
    """The branch a braced conditional (``\\ifthenelse{..}{..}{..}``) takes, or None
    when its arguments are missing."""
    n_tests, n_branches = _MACRO_IFS[name]
    args: list[str] = []
    j = i
    for _ in range(n_tests + n_branches):
        arg, j2 = read_group(text, j)
        if arg is None:
            return None, i
        args.append(arg)
        j = j2
    tests, (yes, no) = args[:n_tests], args[n_tests:]
    value = _macro_test(name, tests, state)
    if value is None:
        state.undecided.add(name)
        value = True
    return (yes if value else no), j


def _cs_name(arg: str) -> str:
    return arg.strip().lstrip("\\")


def _macro_test(name: str, tests: list[str], state: State) -> bool | None:
    if name == "ifthenelse":
        return _ifthen(tests[0], state)
    if name == "iftoggle":
        return state.toggles.get(tests[0].strip())
    if name == "ifbool":
        return state.booleans.get(tests[0].strip())
    if name == "@ifundefined":
        return not state.defined(_cs_name(tests[0]))
    if name.lstrip("@").lower().startswith(("ifpackageloaded", "ifclassloaded")):
        return tests[0].strip() in state.packages
    if name in ("ifdef", "ifcsdef"):
        return state.defined(_cs_name(tests[0]))
    if name in ("ifundef", "ifcsundef"):
        return not state.defined(_cs_name(tests[0]))
    if name in ("ifdefmacro", "ifcsmacro"):
        return _cs_name(tests[0]) in state.macros
    if name in ("ifdefempty", "ifcsempty", "ifdefvoid", "ifcsvoid"):
        macro = state.macro(_cs_name(tests[0]))
        if macro is None:
            return name.endswith("void")
        return macro.nargs == 0 and not macro.body.strip()
    if name == "ifstrequal":
        return tests[0].strip() == tests[1].strip()
    if name in ("ifstrempty", "ifblank"):
        return not tests[0].strip()
    if name in ("ifdraft", "ifoptiondraft"):
        return "draft" in state.class_options
    if name == "ifoptionfinal":
        return "draft" not in state.class_options
    if name in ("ifnumequal", "ifnumgreater", "ifnumless"):
        a, b = _number(tests[0], state), _number(tests[1], state)
        if a is None or b is None:
            return None
        return {"ifnumequal": a == b, "ifnumgreater": a > b, "ifnumless": a < b}[name]
    if name == "ifnumcomp":
        a, b = _number(tests[0], state), _number(tests[2], state)
        if a is None or b is None or tests[1].strip() not in ("<", "=", ">"):
            return None
        return _compare(a, tests[1].strip(), b)
    return None


def _ifthen(test: str, state: State) -> bool | None:
    """ifthen's tests: ``\\boolean{x}``, ``\\equal{a}{b}``, ``\\isundefined{\\x}``, with
    ``\\NOT``, ``\\AND``, ``\\OR``; anything else is undecided."""
    test = test.strip()
    for op in ("\\OR", "\\or"):
        if op in test:
            parts = [_ifthen(p, state) for p in test.split(op)]
            return None if None in parts else any(parts)
    for op in ("\\AND", "\\and"):
        if op in test:
            parts = [_ifthen(p, state) for p in test.split(op)]
            return None if None in parts else all(parts)
    for op in ("\\NOT", "\\not"):
        if test.startswith(op):
            inner = _ifthen(test[len(op) :], state)
            return None if inner is None else not inner
    m = re.fullmatch(r"\\boolean\s*\{([^{}]*)\}", test)
    if m:
        return state.booleans.get(m.group(1).strip())
    m = re.fullmatch(r"\\isundefined\s*\{?\s*\\([A-Za-z@]+)\s*\}?", test)
    if m:
        return not state.defined(m.group(1))
    m = re.fullmatch(r"\\equal\s*\{([^{}]*)\}\s*\{([^{}]*)\}", test)
    if m:
        left, right = (_expand_plain(x, state) for x in m.groups())
        return left == right
    m = re.fullmatch(r"(.+?)\s*([<=>])\s*(.+)", test)
    if m:
        a, b = _number(m.group(1), state), _number(m.group(3), state)
        if a is not None and b is not None:
            return _compare(a, m.group(2), b)
    return None


def _expand_plain(text: str, state: State, depth: int = 0) -> str:
    """``text`` with argument-less macros replaced by their bodies (for comparisons)."""

    def one(m: re.Match[str]) -> str:
        macro = state.macro(m.group(1))
        if macro is None or macro.nargs or depth > 8:
            return m.group(0)
        return _expand_plain(macro.body, state, depth + 1)

    return re.sub(r"\\([A-Za-z@]+)\s*", one, text).strip()


def _number(text: str, state: State) -> int | None:
    value = _expand_plain(text, state)
    return int(value) if re.fullmatch(r"[+-]?\d+", value) else None


def _compare(a: int, op: str, b: int) -> bool:
    return a < b if op == "<" else a > b if op == ">" else a == b


# -- primitive conditionals -------------------------------------------------------------

Token = tuple[str, str]  # ("c", character) or ("s", control sequence name)


def _tokens(text: str, j: int, state: State, expand: bool, depth: int = 0) -> Iterator[tuple]:
    """TeX tokens from ``j``: (token, index after it in ``text``). With ``expand``,
    argument-less macros are replaced by their bodies' tokens (the index is then the
    one after the macro)."""
    n = len(text)
    while j < n:
        ch = text[j]
        # A backslash that ends the text names nothing: it is a character.
        if ch == "\\" and (m := _CS.match(text, j)) is not None:
            name, k = m.group(1), m.end()
            if name.isascii() and (name[0].isalpha() or name[0] == "@"):
                while k < n and text[k] in " \t":
                    k += 1
                if k < n and text[k] == "\n" and not text.startswith("\n\n", k):
                    k += 1
            if name == "csname":
                end = text.find("\\endcsname", k)
                end = n if end < 0 else end
                cs = text[k:end].strip()
                k = min(n, end + len("\\endcsname"))
                yield (("s", cs if state.defined(cs) else "relax"), k)
                j = k
                continue
            macro = state.macro(name) if expand and depth < 8 else None
            if macro is not None and macro.nargs == 0 and not state.is_conditional(name):
                for tok, _ in _tokens(macro.body, 0, state, expand, depth + 1):
                    yield tok, k
                j = k
                continue
            yield (("s", name), k)
            j = k
        elif ch in " \t\n":
            k = j
            while k < n and text[k] in " \t\n":
                k += 1
            yield (("s", "par") if text.count("\n", j, k) > 1 else ("c", " ")), k
            j = k
        else:
            yield (("c", ch), j + 1)
            j += 1


def _take(text: str, j: int, state: State, count: int, expand: bool) -> tuple[list[Token], int]:
    got: list[Token] = []
    end = j
    for tok, k in _tokens(text, j, state, expand):
        got.append(tok)
        end = k
        if len(got) == count:
            break
    return got, end


def _unexpandable(tok: Token, state: State) -> bool:
    return tok[0] == "s" and state.macro(tok[1]) is None


def _evaluate(name: str, text: str, j: int, state: State) -> tuple[bool | int | None, int]:
    """(value of the conditional ``\\name`` whose tokens follow ``j``, index after its
    test); None when the source alone cannot decide it."""
    if name == "iftrue":
        return True, j
    if name == "iffalse":
        return False, j
    if name[2:] in state.flags:
        return state.flags[name[2:]], j
    if name in _PACKAGE_FLAGS:
        return _PACKAGE_FLAGS[name], j
    if name.startswith("ifCLASSOPTION"):
        return name[len("ifCLASSOPTION") :] in state.class_options, j
    if name == "if":
        toks, k = _take(text, _skip_space(text, j), state, 2, expand=True)
        if len(toks) < 2:
            return None, j
        a, b = toks
        if a[0] == "c" and b[0] == "c":
            return a[1] == b[1], k
        return _unexpandable(a, state) and _unexpandable(b, state), k
    if name == "ifx":
        toks, k = _take(text, _skip_space(text, j), state, 2, expand=False)
        if len(toks) < 2:
            return None, j
        return _same_meaning(toks[0], toks[1], state), k
    if name == "ifdefined":
        toks, k = _take(text, _skip_space(text, j), state, 1, expand=False)
        if not toks or toks[0][0] != "s":
            return None, j
        return state.defined(toks[0][1]), k
    if name == "ifcsname":
        end = text.find("\\endcsname", j)
        if end < 0:
            return None, j
        return state.defined(text[j:end].strip()), end + len("\\endcsname")
    if name in ("ifnum", "ifodd", "ifcase"):
        return _evaluate_number(name, text, j, state)
    if name == "ifmmode":
        return state.in_math, j
    return None, j


def _same_meaning(a: Token, b: Token, state: State) -> bool:
    if a == b:
        return True
    if a[0] != b[0]:
        return False
    if a[0] == "c":
        return False
    ma, mb = state.macro(a[1]), state.macro(b[1])
    if ma is None and mb is None:
        # Two undefined names (or \relax vs an undefined name: not the same).
        undefined = {n for n in (a[1], b[1]) if not state.defined(n)}
        return len(undefined) == 2
    return ma == mb


_NUMBER = re.compile(r"\s*([+-]?\d+)\s*")


def _evaluate_number(name: str, text: str, j: int, state: State) -> tuple[bool | int | None, int]:
    """``\\ifnum a<b``, ``\\ifodd a``, ``\\ifcase a``: numbers written out or given by
    argument-less macros; anything else (counters, registers) is undecided."""

    def number(k: int) -> tuple[int | None, int]:
        m = _NUMBER.match(text, k)
        if m:
            return int(m.group(1)), m.end()
        cs = _CS.match(text, _skip_space(text, k))
        if cs:
            value = _number("\\" + cs.group(1), state)
            if value is not None:
                return value, _skip_space(text, cs.end())
        return None, k

    a, k = number(j)
    if a is None:
        return None, j
    if name == "ifodd":
        return a % 2 == 1, k
    if name == "ifcase":
        return a, k
    if k >= len(text) or text[k] not in "<=>":
        return None, j
    op = text[k]
    b, k2 = number(k + 1)
    if b is None:
        return None, j
    return _compare(a, op, b), k2
