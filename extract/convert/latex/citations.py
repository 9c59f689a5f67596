"""Citations and the reference list: numbers from a .bbl or in order of first citation
from a .bib, and the `## References` section."""

from __future__ import annotations

import posixpath
import re

from . import bib as latex_bib
from .scan import read_group, read_optional, strip_comments
from .source import lookup

CITE = re.compile(
    r"(?:cite|citep|citet|citealp|citealt|citeauthor|citeyear|citeyearpar|parencite"
    r"|textcite|autocite|footcite|supercite|citenum|Citep|Citet|Cite|Parencite|Textcite"
    r"|Autocite|smartcite|cites|citeN)\*?"
)


class CitationsMixin:
    """Renderer methods for citations and references (mixed into `Renderer`)."""

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


def bibliography_sources(texts: dict[str, str], main: str, document: str):
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
        found = lookup(
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
