"""Low-level LaTeX scanning: comments, command names, braced and bracketed groups.

Every function takes the text and a position and returns data; nothing here knows
about markdown.
"""

from __future__ import annotations

import re

_CMD_NAME = re.compile(r"[A-Za-z@]+\*?|.", re.S)


def strip_comments(text: str) -> str:
    """Drop `%` comments (an escaped `\\%` stays) with the line break they swallow.

    As in TeX, the end of a commented line joins the next line directly; a line that
    was only a comment vanishes without ending a paragraph; an empty line still ends
    one, even right after a commented line.
    """
    out = []
    lines = text.split("\n")
    ends_line = True  # the output so far ends with a line break (or is empty)
    for k, line in enumerate(lines):
        newline = "\n" if k < len(lines) - 1 else ""
        i, cut = 0, None
        while i < len(line):
            if line[i] == "\\":
                i += 2
                continue
            if line[i] == "%":
                cut = i
                break
            i += 1
        if cut is None:
            if not line.strip() and not ends_line:
                out.append("\n")  # the commented line's break was swallowed
            out.append(line + newline)
            ends_line = bool(newline) or (ends_line and not line)
        else:
            out.append(line[:cut])
            ends_line = ends_line and not line[:cut]
    return "".join(out)


def command_at(text: str, i: int) -> tuple[str, int]:
    """The command name starting after the backslash at ``i`` and the index after it."""
    m = _CMD_NAME.match(text, i + 1)
    if not m:
        return "", i + 1
    name = m.group(0)
    if name.endswith("*") and len(name) > 1 and not name[:-1].isalpha():
        name = name[:-1]
    return name, m.end() if name == m.group(0) else m.start() + len(name)


def skip_spaces(text: str, i: int, newlines: bool = True) -> int:
    """Index of the next non-space (a blank line, i.e. a paragraph, stops it)."""
    n = len(text)
    while i < n and text[i] in " \t\n":
        if text[i] == "\n" and (not newlines or text.startswith("\n", i + 1)):
            break
        i += 1
    return i


def matching_brace(text: str, i: int, open_: str = "{", close: str = "}") -> int:
    """Index of the bracket closing the one at ``i`` (len(text) when unclosed)."""
    depth = 0
    n = len(text)
    j = i
    while j < n:
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return j
        elif open_ == "[" and ch == "{":
            j = matching_brace(text, j) + 1
            continue
        j += 1
    return n


def read_group(text: str, i: int) -> tuple[str | None, int]:
    """A ``{...}`` argument at ``i`` (after spaces), or a single token; None if none."""
    j = skip_spaces(text, i)
    if j >= len(text):
        return None, i
    ch = text[j]
    if ch == "{":
        end = matching_brace(text, j)
        return text[j + 1 : end], min(end + 1, len(text))
    if ch == "\\":
        name, end = command_at(text, j)
        return "\\" + name, end
    if ch in "}[]" or ch == "\n":
        return None, i
    return ch, j + 1


def read_optional(text: str, i: int) -> tuple[str | None, int]:
    """A ``[...]`` argument at ``i`` (after spaces), or None."""
    j = skip_spaces(text, i)
    if j < len(text) and text[j] == "[":
        end = matching_brace(text, j, "[", "]")
        return text[j + 1 : end], min(end + 1, len(text))
    return None, i


def split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside braces (and not escaped); `\\\\` works as ``sep``."""
    parts, depth, last, i = [], 0, 0, 0
    n = len(text)
    while i < n:
        ch = text[i]
        if text.startswith(sep, i) and depth == 0 and (sep == "\\\\" or ch != "\\"):
            parts.append(text[last:i])
            i += len(sep)
            last = i
            continue
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    parts.append(text[last:])
    return parts


def find_env_end(text: str, name: str, i: int) -> tuple[int, int]:
    """(start of the matching ``\\end{name}``, index after it), nesting-aware."""
    begin = re.compile(r"\\(begin|end)\s*\{" + re.escape(name) + r"\}")
    depth = 1
    for m in begin.finditer(text, i):
        depth += 1 if m.group(1) == "begin" else -1
        if depth == 0:
            return m.start(), m.end()
    return len(text), len(text)
