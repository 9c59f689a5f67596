"""Finding and assembling a LaTeX document: decoding, the main file, verbatim
material kept away from comments and macros, and `\\input`s resolved."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from .budget import Budget
from .scan import read_group, read_optional, strip_comments

PREFERRED_MAIN = ("main", "ms", "paper", "article", "manuscript")


MAX_INPUT_DEPTH = 20


def decode(data: bytes) -> str:
    """TeX files are mostly UTF-8; older ones Latin-1 (which never fails)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # NUL marks the converter's own placeholders; CRLF files read like LF ones.
    return text.replace("\x00", "").replace("\r\n", "\n")


DOCCLASS = re.compile(r"^[^%\n]*\\documentclass", re.M)
BEGIN_DOC = re.compile(r"\\begin\s*\{document\}")
END_DOC = re.compile(r"\\end\s*\{document\}")


def find_main(texts: dict[str, str]) -> str | None:
    """The file with ``\\documentclass`` and ``\\begin{document}``: a conventional name
    first (main, ms, paper...), else the largest; ties broken by path for determinism."""
    candidates = [
        name
        for name, text in texts.items()
        if name.lower().endswith((".tex", ".ltx"))
        and DOCCLASS.search(text)
        and BEGIN_DOC.search(strip_comments(text))
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


@dataclass(frozen=True)
class Verbatim:
    """A verbatim block or span kept away from comments and macros."""

    lang: str
    code: str
    inline: bool
    caption: str | None = None  # lstlisting's caption= option
    label: str | None = None  # and its label=


def _listing_option(options: str, key: str) -> str | None:
    m = re.search(r"(?:^|,)\s*" + key + r"\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|[^,]*)", options)
    if not m:
        return None
    value = m.group(1).strip()
    return value[1:-1] if value.startswith("{") and value.endswith("}") else value


def protect_verbatim(text: str, store: list[Verbatim]) -> str:
    """Replace verbatim material by ``\\refsverbatim{n}`` before comments and macros
    touch it; ``store`` receives each block or span."""

    def block(m: re.Match[str]) -> str:
        body = m.group(2)
        lang, caption, label = "", None, None
        if m.group(1) == "minted":
            _, j = read_optional(body, 0)
            lang_arg, j = read_group(body, j)
            lang, body = (lang_arg or "").strip(), body[j:]
        elif m.group(1) == "lstlisting":
            opts, j = read_optional(body, 0)
            lm = re.search(r"language\s*=\s*\{?([\w+#-]+)", opts or "")
            lang, body = (lm.group(1).lower() if lm else ""), body[j:]
            caption = _listing_option(opts or "", "caption")
            label = _listing_option(opts or "", "label")
        store.append(Verbatim(lang, body.strip("\n"), False, caption, label))
        return f"\n\\refsverbatim{{{len(store) - 1}}}\n"

    def inline(m: re.Match[str]) -> str:
        store.append(Verbatim("", m.group(2), True))
        return f"\\refsverbatim{{{len(store) - 1}}}"

    return _VERB.sub(inline, _VERBATIM_ENV.sub(block, text))


_INPUT = re.compile(
    r"\\(input|include|subfile)(?![A-Za-z@])\s*(?:\{([^}]*)\}|([^\s{}\\]+))"
    r"|\\(import|subimport|inputfrom|subinputfrom|includefrom|subincludefrom)\*?"
    r"\s*\{([^}]*)\}\s*\{([^}]*)\}"
)


def lookup(name: str, base_dir: str, texts: dict[str, str]) -> str | None:
    name = name.strip().strip('"')
    for folder in (base_dir, ""):
        for candidate in (name, name + ".tex"):
            path = posixpath.normpath(posixpath.join(folder, candidate))
            if path in texts:
                return path
    return None


def resolve_inputs(
    path: str,
    texts: dict[str, str],
    notes: list[str],
    stack: tuple[str, ...] = (),
    budget: Budget | None = None,
) -> str:
    """``path``'s text with every ``\\input``/``\\include`` replaced by its file's text,
    recursively; a cycle or a missing file leaves a note instead of the text. Each
    inclusion is charged to ``budget``: fan-out past its bounds is a `RefsError`."""
    budget = budget if budget is not None else Budget()
    text = texts[path]
    base = posixpath.dirname(stack[0]) if stack else posixpath.dirname(path)

    def replace(m: re.Match[str]) -> str:
        if m.group(4):  # the import package: \import{folder/}{file}
            command, target = m.group(4), posixpath.join(m.group(5).strip(), m.group(6).strip())
            folder = posixpath.dirname(path) if command.startswith("sub") else ""
            found = lookup(target, folder, texts)
        else:
            command = m.group(1)
            target = m.group(2) if m.group(2) is not None else m.group(3)
            found = lookup(target, base, texts)
        if found is None:
            notes.append(f"\\{command}{{{target}}} names no text file in the e-print; skipped")
            return ""
        if found in stack + (path,) or len(stack) >= MAX_INPUT_DEPTH:
            notes.append(f"\\{command}{{{target}}} would include itself again; skipped")
            return ""
        budget.charge_input(found, len(texts[found]))
        inner = resolve_inputs(found, texts, notes, stack + (path,), budget)
        # The file's first token must not run into a control word before \input.
        glue = " " if re.search(r"\\[A-Za-z@]+$", text[max(0, m.start() - 64) : m.start()]) else ""
        return ("\n\\clearpage\n" if command == "include" else glue) + inner + "\n"

    return _INPUT.sub(replace, text)
