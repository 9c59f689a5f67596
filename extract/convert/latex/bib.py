"""Bibliographies: `\\bibitem`s of a `.bbl` (or an inline `thebibliography`) and `.bib`.

Both give an ordered list of (key, LaTeX text of the entry); the converter numbers
citations by it and renders the text like the rest of the paper.
"""

from __future__ import annotations

import re

from .scan import find_env_end, matching_brace, read_group, read_optional

_BIBITEM = re.compile(r"\\bibitem(?![A-Za-z@])")
_BIB_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")


def bibitems(text: str) -> list[tuple[str, str]]:
    """(key, entry text) of each ``\\bibitem`` in order, from a .bbl or the document."""
    m = re.search(r"\\begin\s*\{thebibliography\}", text)
    if m:
        _, start = read_group(text, m.end())  # the widest-label argument
        end, _ = find_env_end(text, "thebibliography", start)
        text = text[start:end]
    starts = [m for m in _BIBITEM.finditer(text)]
    items = []
    for k, m in enumerate(starts):
        _, j = read_optional(text, m.end())
        key, j = read_group(text, j)
        stop = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        if key is None:
            continue
        items.append((key.strip(), text[j:stop].strip()))
    return items


def _field_value(text: str, i: int) -> tuple[str, int]:
    """A .bib field value at ``i``: ``{...}``, ``"..."``, a number or a @string name,
    joined with ``#``."""
    parts = []
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            break
        ch = text[i]
        if ch == "{":
            end = matching_brace(text, i)
            parts.append(text[i + 1 : end])
            i = end + 1
        elif ch == '"':
            j = i + 1
            depth = 0
            while j < n and not (text[j] == '"' and depth == 0 and text[j - 1] != "\\"):
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            parts.append(text[i + 1 : j])
            i = j + 1
        else:
            m = re.match(r"[^,#}\s)]+", text[i:])
            if not m:
                break
            parts.append(m.group(0))
            i += m.end()
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i < n and text[i] == "#":
            i += 1
            continue
        break
    return "".join(parts), i


def bib_entries(text: str) -> dict[str, dict[str, str]]:
    """Entries of a .bib file: key -> {field: raw value, "entrytype": type}."""
    entries: dict[str, dict[str, str]] = {}
    strings: dict[str, str] = {}
    for m in _BIB_ENTRY.finditer(text):
        kind = m.group(1).lower()
        close = "}" if m.group(2) == "{" else ")"
        body_start = m.end()
        end = matching_brace(text, m.end() - 1, m.group(2), close)
        body = text[body_start:end]
        if kind in ("comment", "preamble"):
            continue
        if kind == "string":
            sm = re.match(r"\s*([A-Za-z][\w-]*)\s*=", body)
            if sm:
                strings[sm.group(1).lower()], _ = _field_value(body, sm.end())
            continue
        km = re.match(r"\s*([^,\s]+)\s*,", body)
        if not km:
            continue
        fields = {"entrytype": kind}
        i = km.end()
        for fm in re.finditer(r"\s*([A-Za-z][\w-]*)\s*=", body):
            if fm.start() < i:
                continue
            value, i = _field_value(body, fm.end())
            fields[fm.group(1).lower()] = strings.get(value.lower(), value)
            if i < len(body) and body[i] == ",":
                i += 1
        entries.setdefault(km.group(1), fields)
    return entries


def _authors(names: str) -> str:
    people = [" ".join(p.split()) for p in re.split(r"\s+and\s+", names.strip()) if p.strip()]
    readable = []
    for p in people:
        if "," in p:  # "Last, First" -> "First Last"
            last, first = p.split(",", 1)
            p = f"{first.strip()} {last.strip()}".strip()
        readable.append(p)
    if len(readable) <= 2:
        return " and ".join(readable)
    return ", ".join(readable[:-1]) + ", and " + readable[-1]


def bib_entry_text(fields: dict[str, str]) -> str:
    """One reference as LaTeX text: authors. title. venue, volume, pages, year. note."""
    parts = []
    if fields.get("author") or fields.get("editor"):
        parts.append(_authors(fields.get("author") or fields["editor"]))
    if fields.get("title"):
        parts.append(fields["title"])
    venue = [
        fields[k]
        for k in ("journal", "booktitle", "publisher", "school", "institution", "howpublished")
        if fields.get(k)
    ]
    for k, prefix in (("volume", ""), ("number", ""), ("pages", "pp. "), ("year", "")):
        if fields.get(k):
            venue.append(prefix + fields[k])
    if venue:
        parts.append(", ".join(venue))
    for k in ("note", "url", "doi"):
        if fields.get(k):
            parts.append(fields[k] if k != "url" else "\\url{" + fields[k] + "}")
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."
