"""Bibliographies: `\\bibitem`s of a `.bbl` (or an inline `thebibliography`) and `.bib`.

Both give an ordered list of (key, LaTeX text of the entry); the converter numbers
citations by it and renders the text like the rest of the paper.
"""

from __future__ import annotations

import re
import unicodedata

from .scan import find_env_end, matching_brace, read_group, read_optional

_BIBITEM = re.compile(r"\\bibitem(?![A-Za-z@])")
_BIB_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")


def bibitems(text: str) -> list[tuple[str, str, str | None]]:
    """(key, entry text, optional label) of each ``\\bibitem`` in order, from a .bbl
    or the document; natbib's label (``Huang et~al.(2019)``) gives authors and year."""
    m = re.search(r"\\begin\s*\{thebibliography\}", text)
    if m:
        _, start = read_group(text, m.end())  # the widest-label argument
        end, _ = find_env_end(text, "thebibliography", start)
        text = text[start:end]
    starts = [m for m in _BIBITEM.finditer(text)]
    items = []
    for k, m in enumerate(starts):
        label, j = read_optional(text, m.end())
        key, j = read_group(text, j)
        stop = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        if key is None:
            continue
        items.append((key.strip(), text[j:stop].strip(), label))
    return items


_ENTRY = re.compile(r"\\entry\s*\{([^}]*)\}\s*\{([^}]*)\}")
_BBL_FIELD = re.compile(r"\\(field|name|list|verb)\s*\{([^}]*)\}")
_PERSON_PART = re.compile(r"\b(family|given|prefix|suffix)\s*=\s*\{")


def _bbl_person(group: str) -> str:
    parts = {}
    for m in _PERSON_PART.finditer(group):
        end = matching_brace(group, m.end() - 1)
        parts[m.group(1)] = group[m.end() : end]
    family = " ".join(x for x in (parts.get("prefix"), parts.get("family")) if x)
    given = parts.get("given", "")
    if not family:
        return ""
    return f"{family}, {given}" if given else family


def biblatex_entries(text: str) -> list[tuple[str, dict[str, str]]]:
    """Entries of a biber-made .bbl as .bib-like fields, in the order printed."""
    entries = []
    for m in _ENTRY.finditer(text):
        stop = text.find("\\endentry", m.end())
        body = text[m.end() : stop if stop >= 0 else len(text)]
        fields = {"entrytype": m.group(2).strip().lower()}
        for f in _BBL_FIELD.finditer(body):
            kind, name = f.group(1), f.group(2).strip().lower()
            if kind == "verb":
                vm = re.match(r"\s*\\verb\s+(.*?)\s*\\endverb", body[f.end() :], re.S)
                if vm:
                    fields.setdefault(name, vm.group(1).strip())
                continue
            if kind == "field":
                value, _ = read_group(body, f.end())
                fields.setdefault(name, (value or "").strip())
                continue
            _, j = read_group(body, f.end())  # the count
            if kind == "name":
                _, j = read_group(body, j)  # name options
            group, _ = read_group(body, j)
            items = []
            k = 0
            while group:
                item, k2 = read_group(group, k)
                if item is None or k2 == k:
                    break
                items.append(item)
                k = k2
            if kind == "name":
                people_ = [p for p in (_bbl_person(x) for x in items) if p]
                fields.setdefault(name, " and ".join(people_))
            else:
                fields.setdefault(name, ", ".join(x.strip() for x in items))
        entries.append((m.group(1).strip(), fields))
    return entries


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


def people(names: str) -> list[str]:
    """The persons of a .bib name list, split on ``and`` outside braces."""
    out, depth, last = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", names):
        t = m.group(0)
        if t == "{":
            depth += 1
        elif t == "}":
            depth -= 1
        elif depth == 0:
            out.append(names[last : m.start()])
            last = m.end()
    out.append(names[last:])
    return [" ".join(p.split()) for p in out if p.strip()]


def surname(person: str) -> str:
    """The family name of one .bib person: "Last, First", "First von Last", "{Org}"."""
    person = person.strip()
    if person.startswith("{") and person.endswith("}"):
        return person[1:-1].strip()
    if "," in person:
        return person.split(",", 1)[0].strip()
    words = re.findall(r"\{[^{}]*\}|\S+", person)
    return words[-1] if words else person


def short_authors(names: str) -> str:
    """How a citation names the authors: "Huang", "Huang and Qi", "Huang et al."."""
    found = [surname(p) for p in people(names)]
    found = [f for f in found if f and f.lower() != "others"]
    if not found:
        return ""
    if len(found) == 1 and "and others" not in names:
        return found[0]
    if len(found) == 2 and "and others" not in names:
        return f"{found[0]} and {found[1]}"
    return f"{found[0]} et al."


def sort_key(fields: dict[str, str]) -> tuple[str, str, str]:
    """Alphabetical styles order by first author, then year, then title."""
    names = fields.get("author") or fields.get("editor") or ""
    first = surname(people(names)[0]) if people(names) else fields.get("title", "")

    def plain(text: str) -> str:
        text = re.sub(r"\\[A-Za-z]+\s*|[{}\\'\"`^~]", "", text)
        return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()

    return (plain(first), fields.get("year", ""), plain(fields.get("title", "")))


def _authors(names: str) -> str:
    readable = []
    for p in people(names):
        if "," in p and not (p.startswith("{") and p.endswith("}")):
            last, first = p.split(",", 1)  # "Last, First" -> "First Last"
            p = f"{first.strip()} {last.strip()}".strip()
        readable.append(p)
    if len(readable) <= 2:
        return " and ".join(readable)
    return ", ".join(readable[:-1]) + ", and " + readable[-1]


def bib_entry_text(fields: dict[str, str]) -> str:
    """One reference as LaTeX text: authors. title. venue, volume, pages, year. note.
    BibTeX's and biblatex's field names both count (journal/journaltitle, year/date)."""
    fields = {k: " ".join(v.split()) for k, v in fields.items()}
    if not fields.get("year") and fields.get("date"):
        fields["year"] = fields["date"][:4]
    if not fields.get("journal") and fields.get("journaltitle"):
        fields["journal"] = fields["journaltitle"]
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
    if fields.get("eprint") and (fields.get("archiveprefix") or fields.get("eprinttype")):
        archive = fields.get("archiveprefix") or fields.get("eprinttype")
        parts.append(f"{archive}:{fields['eprint']}")
    for k in ("note", "url", "doi"):
        if fields.get(k):
            parts.append(fields[k] if k != "url" else "\\url{" + fields[k] + "}")
    return ". ".join(p.strip().rstrip(".") for p in parts if p.strip()) + "."
