"""The title page: authors and affiliations as one byline, keywords, and nothing else.

Document classes spell the title page in many ways (`\\author{A \\and B}` with
`\\inst{1}` marks and `\\institute{...}`, ACM's `\\author{A}\\affiliation{...}`,
authblk's `\\author[1]{A}\\affil[1]{...}`, ICML's `\\icmlauthor{A}{inst}` with
`\\icmlaffiliation`, IEEE's `\\IEEEauthorblockN`, NeurIPS's `\\author{A \\\\ Inst \\And
B}`), and all of them add metadata a reader does not need (ACM's copyright block,
CCS XML, ICML's symbol setup, page layout). Authors are collected wherever they are
written (preamble or document) and written once, where `\\maketitle` stands, as
"**A** (Inst), **B** (Inst)"; marks (`1`, `*`, `†`) never stick to a name.
"""

from __future__ import annotations

import re

from .scan import find_env_end, read_group, read_optional, split_top
from .state import Author, RenderState

# Commands that belong to the title page and print nothing of their own (their
# arguments are metadata): name -> braced arguments to skip.
TITLE_METADATA = {
    "acmYear": 1,
    "copyrightyear": 1,
    "setcopyright": 1,
    "acmConference": 3,
    "acmBooktitle": 1,
    "acmPrice": 1,
    "acmDOI": 1,
    "acmISBN": 1,
    "acmJournal": 1,
    "acmVolume": 1,
    "acmNumber": 1,
    "acmArticle": 1,
    "acmMonth": 1,
    "acmSubmissionID": 1,
    "acmArticleSeq": 1,
    "settopmatter": 1,
    "received": 1,
    "startPage": 1,
    "authorsaddresses": 1,
    "subtitle": 1,
    "shortauthors": 0,
    "date": 1,
    "icmltitle": 1,
    "icmltitlerunning": 1,
    "icmlsetsymbol": 2,
    "icmlcorrespondingauthor": 2,
    "printAffiliationsAndNotice": 1,
    "icmlEqualContribution": 0,
    "titlerunning": 1,
    "authorrunning": 1,
    "runningtitle": 1,
    "runningauthor": 1,
    "shorttitle": 1,
    "orcid": 1,
    "orcidID": 1,
    "corref": 1,
    "cortext": 1,
    "fnref": 1,
    "tnoteref": 1,
    "IEEEoverridecommandlockouts": 0,
    "IEEEpeerreviewmaketitle": 0,
    "IEEEauthorrefmark": 1,
    "inst": 1,
    "footnotemark": 0,
    "setstretch": 1,
    "doublespacing": 0,
    "singlespacing": 0,
    "onehalfspacing": 0,
    "journal": 1,
    "volume": 1,
    "pubyear": 1,
    "firstpage": 1,
    "lastpage": 1,
    "editor": 1,
    "jmlrheading": 7,
    "ShortHeadings": 2,
    "firstpageno": 1,
    "conferenceinfo": 2,
    "CopyrightYear": 1,
    "crdata": 1,
    "numberofauthors": 1,
}
FRONT_MATTER = (
    "author",
    "affiliations",
    "affiliation",
    "affil",
    "address",
    "institute",
    "email",
    "keywords",
    "abstract",
    "icmlauthor",
    "icmlaffiliation",
    "icmlkeywords",
    "IEEEauthorblockN",
    "IEEEauthorblockA",
    "ccsdesc",
)
_FRONT = re.compile(r"\\(" + "|".join(FRONT_MATTER) + r")(?![A-Za-z@])\*?")
_FRONT_ENVS = re.compile(r"\\begin\s*\{(abstract|keywords?|IEEEkeywords)\}")
_MARKS = re.compile(
    r"\\(?:inst|IEEEauthorrefmark|textsuperscript|footnotemark|fnmark|thanksref|fnref"
    r"|corref|affilmark)\s*(?:\[[^\]]*\])?\s*(\{[^{}]*\})?"
    r"|\$\^\{?([^${}]*)\}?\$|(?<!\\)\^\{([^{}]*)\}"
)
_AUTHOR_SPLIT = re.compile(r"\\(?:and|And|AND|andname)(?![A-Za-z@])")
_ACM_PARTS = re.compile(
    r"\\(institution|department|streetaddress|city|state|country|postcode|position)"
    r"(?![A-Za-z@])"
)


def front_matter(preamble: str) -> str:
    """The title-page commands written in the preamble, in order, as LaTeX source
    (rendered before the document so that `\\maketitle` can print them)."""
    pieces: list[tuple[int, str]] = []
    for m in _FRONT.finditer(preamble):
        j = m.end()
        _, j = read_optional(preamble, j)
        count = 2 if m.group(1) in ("icmlauthor", "icmlaffiliation") else 1
        for _ in range(count):
            _, j = read_group(preamble, j)
        pieces.append((m.start(), preamble[m.start() : j]))
    for m in _FRONT_ENVS.finditer(preamble):
        _, after = find_env_end(preamble, m.group(1), m.end())
        pieces.append((m.start(), preamble[m.start() : after]))
    return "\n".join(text for _, text in sorted(pieces)) + ("\n" if pieces else "")


def _marks(latex: str) -> tuple[str, list[str]]:
    """(``latex`` without affiliation marks, the marks found)."""
    found: list[str] = []

    def one(m: re.Match[str]) -> str:
        for group in m.groups():
            if group:
                found.extend(x.strip() for x in group.strip("{}").split(",") if x.strip())
        return ""

    return _MARKS.sub(one, latex), [_mark(x) for x in found]


def _mark(text: str) -> str:
    """A mark as written ("\\rm 1", "{2}") reduced to its symbol ("1", "2")."""
    return re.sub(r"\\[A-Za-z]+\s*|[{}\s]", "", text)


class TitlePageMixin(RenderState):
    """Renderer methods for the title page (mixed into `Renderer`)."""

    def _new_authors(self, latex: str, marks: list[str] | None = None) -> None:
        self.in_author = True
        try:
            self._split_authors(latex, marks)
        finally:
            self.in_author = False

    def _split_authors(self, latex: str, marks: list[str] | None) -> None:
        if "\\IEEEauthorblock" in latex:
            self.in_author = False
            self.render(latex)  # the blocks name the authors and affiliations themselves
            return
        chunks = []
        for chunk in _AUTHOR_SPLIT.split(latex):
            lines = [x for x in split_top(chunk, "\\\\") if x.strip()]
            if lines and len(_MARKS.findall(lines[0])) > 1:
                # AAAI: "A\textsuperscript{1}, B\textsuperscript{2}" on one line
                names = re.split(r"(?<=[}$])\s*(?:,|\band\b)\s*", lines[0])
                chunks += [[name] + lines[1:] for name in names if name.strip()]
            elif lines:
                chunks.append(lines)
        for lines in chunks:
            name, found = _marks(lines[0])
            name = re.sub(r"\s+(\[\^\d+\])", r"\1", self.one_line(name).strip(" ,"))
            if not name:
                continue
            author = Author(name, (marks or []) + found)
            # NeurIPS style: the lines under a name are one affiliation.
            details = [self.one_line(_marks(line)[0]).strip(" ,") for line in lines[1:]]
            if any(details):
                author.details.append(", ".join(d for d in details if d))
            self.authors.append(author)

    def _affiliation_text(self, latex: str) -> str:
        if _ACM_PARTS.search(latex):
            parts = []
            for m in _ACM_PARTS.finditer(latex):
                text, _ = read_group(latex, m.end())
                if text and text.strip():
                    parts.append(self.one_line(text))
            return ", ".join(p for p in parts if p)
        lines = [self.one_line(_marks(x)[0]) for x in split_top(latex, "\\\\")]
        return ", ".join(x.strip(" ,") for x in lines if x.strip(" ,"))

    def _affiliation(self, latex: str, mark: str | None) -> None:
        text = self._affiliation_text(latex)
        if not text:
            return
        if mark is None:  # IEEE: "\IEEEauthorrefmark{1}Dept. of ..." marks the affiliation
            lead = re.match(
                r"\s*(?:\\IEEEauthorrefmark\s*\{([^}]*)\}|\\textsuperscript\s*\{([^}]*)\}"
                r"|\$\^\{?([^$}]*)\}?\$)",
                latex,
            )
            if lead:
                mark = _mark(next(g for g in lead.groups() if g is not None))
                text = self._affiliation_text(latex[lead.end() :])
        if mark is not None:
            self.affiliations[_mark(mark)] = text
            return
        # No mark: it belongs to the authors written since the last affiliation.
        start = self.unaffiliated
        targets = self.authors[start:] or self.authors[-1:]
        for author in targets:
            author.details.append(text)
        self.unaffiliated = len(self.authors)

    def cmd_author(self, s, j):
        marks, j = read_optional(s, j)
        text, j = read_group(s, j)
        self._new_authors(text or "", [_mark(m) for m in (marks or "").split(",") if m.strip()])
        return "", j

    def cmd_affiliation(self, s, j):
        mark, j = read_optional(s, j)
        text, j = read_group(s, j)
        self._affiliation(text or "", mark)
        return "", j

    cmd_affil = cmd_address = cmd_affiliation

    def cmd_affiliations(self, s, j):
        """AAAI: one block of lines, each affiliation led by its mark."""
        text, j = read_group(s, j)
        mark: str | None = None
        lines: list[str] = []
        for line in split_top(text or "", "\\\\") + ["\\textsuperscript{}"]:
            lead = re.match(r"\s*(?:\\textsuperscript\s*\{([^}]*)\}|\$\^\{?([^$}]*)\}?\$)", line)
            if lead:
                if lines:
                    self._affiliation("\\\\".join(lines), mark)
                mark = _mark(lead.group(1) or lead.group(2) or "")
                lines = [line[lead.end() :]] if line[lead.end() :].strip() else []
            elif line.strip():
                lines.append(line)
        return "", j

    def cmd_institute(self, s, j):
        text, j = read_group(s, j)
        for n, part in enumerate(_AUTHOR_SPLIT.split(text or ""), 1):
            self._affiliation(part, str(n))
        return "", j

    def cmd_email(self, s, j):
        _, j = read_optional(s, j)
        text, j = read_group(s, j)
        if self.authors and text and text.strip():
            self.authors[-1].details.append(f"`{text.strip()}`")
        return "", j

    cmd_ead = cmd_email

    def cmd_icmlauthor(self, s, j):
        name, j = read_group(s, j)
        keys, j = read_group(s, j)
        marks = [k.strip() for k in (keys or "").split(",") if k.strip()]
        self._new_authors(name or "", marks)
        return "", j

    def cmd_icmlaffiliation(self, s, j):
        key, j = read_group(s, j)
        text, j = read_group(s, j)
        self._affiliation(text or "", (key or "").strip())
        return "", j

    def cmd_IEEEauthorblockN(self, s, j):
        text, j = read_group(s, j)
        text = re.sub(r"\s*(?:,|\\\\|\band\b)\s*", r" \\and ", text or "")
        self._new_authors(text)
        return "", j

    def cmd_IEEEauthorblockA(self, s, j):
        text, j = read_group(s, j)
        self._affiliation(text or "", None)
        return "", j

    def keywords_found(self, latex: str) -> str:
        """Keywords join the byline, or stand where they are once it is written."""
        text = self.one_line(latex.replace("\\sep", ";"))
        if not text:
            return ""
        if self.title_done:
            return self.block("**Keywords:** " + text)
        self.keywords.append(text)
        return ""

    def cmd_keywords(self, s, j):
        text, j = read_group(s, j)
        return self.keywords_found(text or ""), j

    cmd_icmlkeywords = cmd_keywords

    def cmd_ccsdesc(self, s, j):
        _, j = read_optional(s, j)
        text, j = read_group(s, j)
        if text and text.strip():
            # ACM prints the concept path with arrows where the source has "~".
            self.ccs.append(self.one_line(text.replace("~", " → ")))
        return "", j

    def cmd_abstract(self, s, j):
        text, j = read_group(s, j)
        if text is not None:
            self.abstract = self.markdown(text)
        return "", j

    def cmd_maketitle(self, s, j):
        return self.title_block(), j

    def cmd_IEEEPARstart(self, s, j):
        first, j = read_group(s, j)
        rest, j = read_group(s, j)
        return self.render((first or "") + (rest or "")), j

    def cmd_twocolumn(self, s, j):
        inner, j = read_optional(s, j)  # ICML puts the whole title block here
        return self.render(inner or ""), j

    def title_block(self) -> str:
        """The byline (and keywords) once, at the first \\maketitle."""
        if self.title_done or not (self.authors or self.keywords or self.ccs or self.title_notes):
            return ""
        self.title_done = True
        paragraphs = []
        people = []
        used: set[str] = set()
        for author in self.authors:
            details = list(author.details)
            for mark in author.marks:
                if mark in self.affiliations and self.affiliations[mark] not in details:
                    details.append(self.affiliations[mark])
                    used.add(mark)
            people.append(f"**{author.name}**" + (f" ({'; '.join(details)})" if details else ""))
        if people:
            paragraphs.append(", ".join(people) + "".join(self.title_notes))
        elif self.title_notes:
            paragraphs.append("".join(self.title_notes))
        rest = [text for mark, text in self.affiliations.items() if mark not in used]
        if rest:
            paragraphs.append("; ".join(rest))
        if self.keywords:
            paragraphs.append("**Keywords:** " + "; ".join(self.keywords))
        if self.ccs:
            paragraphs.append("**CCS Concepts:** " + "; ".join(self.ccs))
        return "".join(self.block(p) for p in paragraphs)
