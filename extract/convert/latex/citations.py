"""Citations and the reference list.

References are numbered by the paper's `.bbl` (or inline `thebibliography`) when it
has one, keys the `.bbl` lacks but the `.bib` has coming after them (a stale `.bbl`
leaves no raw keys); else from the `.bib`, in order of first citation, or
alphabetically when the bibliography style sorts (plain, abbrv, alpha, ACM, natbib's
plainnat, biblatex's default). Citations are placeholders until the whole paper is
read, since only then is the numbering final. natbib's and biblatex's textual forms
keep the author names: `\\citet{k}` reads "Huang et al. [3]", `\\citeauthor{k}`
"Huang et al.", `\\citeyear{k}` "2019"; `\\citen`/`\\citenum`/`\\citealp` give the bare
number.
"""

from __future__ import annotations

import posixpath
import re

from . import bib as latex_bib
from .scan import read_group, read_optional, strip_comments
from .source import lookup
from .state import Bibliography, Citation, RenderState

FORMS = {
    **dict.fromkeys(
        "cite Cite citep Citep parencite Parencite autocite Autocite footcite supercite "
        "smartcite Smartcite cites Cites parencites autocites citepalias".split(),
        "paren",
    ),
    **dict.fromkeys(
        "citet Citet textcite Textcite citealt Citealt citeN citeasnoun textcites "
        "citetalias".split(),
        "text",
    ),
    **dict.fromkeys("citeauthor Citeauthor citefullauthor citeA".split(), "author"),
    **dict.fromkeys("citeyear citedate".split(), "year"),
    "citeyearpar": "yearparen",
    **dict.fromkeys("citealp Citealp citen citenum".split(), "bare"),
}
CITE = re.compile("(?:" + "|".join(sorted(FORMS, key=len, reverse=True)) + r")\*?")
_CITATION = re.compile(r"\x00C(\d+)\x00")

# Bibliography styles that print their list in alphabetical order.
SORTED_STYLES = frozenset(
    """plain abbrv alpha acm ACM-Reference-Format plainnat abbrvnat apalike siam
    splncs04 named chicago agsm apa apacite dcu kluwer elsarticle-harv spbasic
    aaai aaai-named aaai24 neurips jmlr""".split()
)


class CitationsMixin(RenderState):
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

    def cite(self, name: str, s: str, j: int) -> tuple[str, int]:
        notes = []
        while True:  # \cite[see][p. 3]{key}: pre- and post-notes
            opt, j2 = read_optional(s, j)
            if opt is None:
                break
            notes.append(self.one_line(opt))
            j = j2
        group, j = read_group(s, j)
        keys = [k.strip() for k in (group or "").split(",") if k.strip()]
        if name.rstrip("*").endswith("cites"):  # biblatex: \cites[..]{a}[..]{b}
            while True:
                k = j
                while True:
                    opt, k2 = read_optional(s, k)
                    if opt is None:
                        break
                    k = k2
                if not s[k : k + 1] == "{":
                    break
                more, j = read_group(s, k)
                keys += [x.strip() for x in (more or "").split(",") if x.strip()]
        for key in keys:
            if key not in self.cite_order:
                self.cite_order.append(key)
        post = notes[-1] if notes else ""
        pre = notes[0] if len(notes) == 2 else ""
        self.citations.append(Citation(FORMS.get(name.rstrip("*"), "paren"), keys, pre, post))
        return f"\x00C{len(self.citations) - 1}\x00", j

    # -- numbering, at the end ------------------------------------------------------

    def number_references(self) -> None:
        """Fix the reference numbers: the .bbl's order (then .bib keys it lacks), or
        the .bib's entries cited, by first citation or alphabetically."""
        bib = self.bib
        if bib.items is not None:
            keys = [key for key, _, _ in bib.items]
            have = set(keys)
            keys += [k for k in self.cite_order if k not in have and k in bib.db]
        else:
            keys = [k for k in self.cite_order if k in bib.db]
            if self.nocite_all:
                keys += [k for k in bib.db if k not in keys]
            if bib.sorted_style:
                keys.sort(key=lambda k: latex_bib.sort_key(bib.db[k]))
        self.reference_keys = keys
        self.numbers = {key: n for n, key in enumerate(keys, 1)}
        self.bbl_text = {key: text for key, text, _ in bib.items or []}
        self.bbl_label = {key: label for key, _, label in bib.items or [] if label}

    def authors_year(self, key: str) -> tuple[str, str]:
        """(short author names, year) of a reference, from natbib's .bbl label, the
        .bib entry, or the start of the .bbl text; empty when none says."""
        label = self.bbl_label.get(key)
        if label:
            m = re.match(r"(.*?)\((\d{4}[a-z]?|n\.d\.)\)", self.one_line(label), re.S)
            if m:
                return m.group(1).strip(" ,"), m.group(2)
        fields = self.bib.db.get(key)
        if fields:
            names = fields.get("author") or fields.get("editor") or ""
            return self.one_line(latex_bib.short_authors(names)), fields.get("year", "")
        text = self.bbl_text.get(key, "")
        if text:
            head = re.split(r"\\newblock\b", text, maxsplit=1)[0]
            head = self.one_line(head).rstrip(". ")
            people = re.split(r",\s*(?:and\s+)?|\s+and\s+", head)
            surnames = [n.split()[-1] for n in people if n.split()]
            year = re.search(r"\b(1[89]\d\d|20\d\d)\b", self.one_line(text))
            short = ""
            if len(surnames) == 1:
                short = surnames[0]
            elif len(surnames) == 2:
                short = " and ".join(surnames)
            elif surnames:
                short = surnames[0] + " et al."
            return short, year.group(1) if year else ""
        return "", ""

    def citation_text(self, c: Citation) -> str:
        def number(key: str) -> str:
            if key in self.numbers:
                return str(self.numbers[key])
            self.unresolved_cites.add(key)
            return key

        def bracket(inner: str) -> str:
            if c.pre:
                inner = f"{c.pre} {inner}"
            if c.post:
                inner = f"{inner}, {c.post}"
            return f"[{inner}]"

        if c.form == "paren":
            return bracket(", ".join(number(k) for k in c.keys)) if c.keys else ""
        if c.form == "bare":
            return ", ".join(number(k) for k in c.keys)
        parts = []
        for key in c.keys:
            names, year = self.authors_year(key)
            if c.form == "text":
                parts.append(f"{names} {bracket(number(key))}" if names else bracket(number(key)))
            elif c.form == "author":
                parts.append(names or bracket(number(key)))
            elif c.form == "year":
                parts.append(year or bracket(number(key)))
            else:
                parts.append(f"({year})" if year else bracket(number(key)))
        return ", ".join(parts)

    def resolve_cites(self, text: str) -> str:
        return _CITATION.sub(lambda m: self.citation_text(self.citations[int(m.group(1))]), text)

    def references(self) -> str:
        """The numbered `## References` section, once, wherever the paper puts it."""
        if self.references_done:
            return ""
        self.references_done = True
        # Placed as a marker: .bib numbering is only final after the whole paper.
        return self.block("\x00REFERENCES\x00")

    def references_markdown(self) -> str:
        lines = ["## References"]
        for n, key in enumerate(self.reference_keys, 1):
            if key in self.bbl_text:
                text = self.bbl_text[key]
            else:
                text = latex_bib.bib_entry_text(self.bib.db[key])
            text = re.sub(r"\\newblock\b", " ", text)
            lines.append(f"[{n}] {self.one_line(text)}")
        return "\n\n".join(lines) if len(lines) > 1 else ""


_STYLE = re.compile(r"\\bibliographystyle\s*\{([^}]*)\}")
_BIBLATEX = re.compile(r"\\usepackage\s*(\[[^\]]*\])?\s*\{biblatex\}")


def _sorted_style(full: str) -> bool:
    m = _STYLE.search(full)
    if m:
        style = m.group(1).strip()
        # Conference author-year styles sort too, whatever the year in their name.
        return style in SORTED_STYLES or bool(re.match(r"(iclr|icml|colm|tmlr)\w*$", style))
    m = _BIBLATEX.search(full)
    if m:
        options = m.group(1) or ""
        return not re.search(r"sorting\s*=\s*none|style\s*=\s*(ieee|numeric-comp)", options)
    return False


def bibliography_sources(texts: dict[str, str], main: str, full: str) -> Bibliography:
    """The bibliography of the paper whose whole text (preamble and document) is
    ``full``: an inline thebibliography or a .bbl, and the .bib files."""
    names = []
    for m in re.finditer(r"\\(?:bibliography|addbibresource)\s*(?:\[[^\]]*\])?\{([^}]*)\}", full):
        names += [x.strip() for x in m.group(1).split(",") if x.strip()]
    bibs = []
    for name in names:
        found = lookup(
            name if name.endswith(".bib") else name + ".bib", posixpath.dirname(main), texts
        )
        if found and found not in bibs:
            bibs.append(found)
    if not bibs:
        bibs = sorted(n for n in texts if n.lower().endswith(".bib"))
    db: dict[str, dict[str, str]] = {}
    for name in bibs:
        for key, fields in latex_bib.bib_entries(texts[name]).items():
            db.setdefault(key, fields)
    result = Bibliography(
        db=db, source=", ".join(bibs), source_bib=", ".join(bibs), sorted_style=_sorted_style(full)
    )
    if re.search(r"\\begin\s*\{thebibliography\}", full):
        result.items = latex_bib.bibitems(full)
        result.source = "the document's thebibliography"
        return result
    stem = posixpath.splitext(main)[0]
    bbls = sorted(n for n in texts if n.lower().endswith(".bbl"))
    bbl = stem + ".bbl" if stem + ".bbl" in texts else (bbls[0] if bbls else None)
    if bbl is not None:
        text = strip_comments(texts[bbl])
        items = latex_bib.bibitems(text)
        if not items:  # biber's .bbl: \entry{key}{type}{}...\endentry, in printed order
            entries = latex_bib.biblatex_entries(text)
            for key, fields in entries:
                result.db.setdefault(key, fields)
            items = [(key, latex_bib.bib_entry_text(fields), None) for key, fields in entries]
        if items:
            result.items = items
            result.source = bbl
    return result
