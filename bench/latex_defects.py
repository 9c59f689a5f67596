"""LaTeX defect benchmark: convert e-prints and count the eight defect classes of issue 10.

    python bench/latex_defects.py [FOLDER] [--show]

FOLDER (default ../shared/corpus/latex) holds `<name>/raw/arxiv-eprint.tar.gz`
(or any e-print name Tier 1 stores); each is read with the converter's own safe
reader, converted, and checked by detectors that look at the source and the
markdown, independently of the converter's logic:

1. dead code: text of branches TeX skips (`\\iffalse`, `\\if 0`, `\\if\\x1` with
   `\\def\\x{0}`, `\\newif` flags, `\\ifdefined`) that shows up in the markdown;
2. reference kinds: `\\autoref`/`\\cref` to lemmas, propositions... not read as
   "Lemma N" where the markdown has a "**Lemma N**" block;
3. labels: raw label keys (`fig:x`) or "??" in the markdown, subfigure captions lost;
4. equation numbers: `\\eqref`s whose "(N)" has no visible tag to point at;
5. citations: cite keys left raw, `\\citet`/`\\citeauthor` without the author name;
6. title page: leaked metadata (`equal*`, `0.3in ]`, CCS XML, lone numbers, marks
   glued to author names), an abstract the source has but the result lacks;
7. lists and pseudocode: items of the paper's own list environments without a
   bullet, algorithm bodies without a code block, `\\SetKw...` definitions leaking;
8. dropped text: braced arguments of commands whose words are missing.

Prints per-class counts per e-print, a total, and the conversion time per paper
(LaTeX must stay under 1 s). Exit 0 when every count is zero and every paper is
under a second, 1 otherwise; skips cleanly (exit 0) when the folder is absent.
`--show` prints a few examples per class.
"""

from __future__ import annotations

import html
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402

from extract.convert.eprint import find_eprint, read_eprint  # noqa: E402
from extract.convert.latex import LatexResult, convert_latex  # noqa: E402
from extract.convert.latex.scan import (  # noqa: E402
    find_env_end,
    read_group,
    read_optional,
    strip_comments,
)
from extract.errors import RefsError  # noqa: E402
from extract.output import table  # noqa: E402

console = Console(width=160, highlight=False)
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "latex"
CLASSES = ("dead", "kinds", "labels", "eqnum", "cites", "title", "lists", "dropped")
GRAM = 8  # words in a dead-code probe

# -- text normalisation --------------------------------------------------------------

_MATH = re.compile(
    r"\$\$.*?\$\$|\$(?:\\.|[^$\\])*\$|\\\[.*?\\\]|\\\(.*?\\\)"
    r"|\\begin\{(equation|align|gather|multline|eqnarray|displaymath|math|alignat)\*?\}"
    r".*?\\end\{\1\*?\}",
    re.S,
)


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", text.lower())


_NON_TEXT_ARGS = re.compile(
    r"\\(?:label|ref|eqref|cref|Cref|autoref|pageref|includegraphics|input|include|url"
    r"|cite[a-zA-Z]*|vspace|hspace|bibliographystyle)\*?\s*(?:\[[^\]]*\])*\s*\{[^{}]*\}"
    r"|\\(?:setcounter|addtocounter|setlength|addtolength)\s*\{[^{}]*\}\s*\{[^{}]*\}"
)


def plain(tex: str) -> str:
    """Source text as words: math, commands and their option lists dropped."""
    tex = _MATH.sub(" ", tex)
    tex = _NON_TEXT_ARGS.sub(" ", tex)
    tex = re.sub(r"\\([_&%$#])", r" ", tex)
    tex = re.sub(r"\\(begin|end)\s*\{[^}]*\}", " ", tex)
    tex = re.sub(r"\\[A-Za-z@]+\*?(\s*\[[^\]]*\])?", " ", tex)
    tex = re.sub(r"\\[^A-Za-z]", "", tex)
    return tex.replace("~", " ")


def grams(seq: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(seq[i : i + n]) for i in range(len(seq) - n + 1)}


def markdown_prose(md: str) -> str:
    """The markdown without display math, inline math and code blocks (the source
    side drops math too, so words compare like with like)."""
    md = re.sub(r"^```.*?^```", " ", md, flags=re.S | re.M)
    md = re.sub(r"\$\$.*?\$\$", " ", md, flags=re.S)
    return re.sub(r"\$[^$\n]*\$", " ", md)


def before_references(md: str) -> str:
    """The markdown without its reference list (which may stand before an appendix)."""
    return re.sub(r"(?ms)^## References\n.*?(?=^## |\Z)", "", md)


# -- the source, with the branches TeX skips found independently ----------------------

_IF_TOKEN = re.compile(r"\\(if[A-Za-z@]*|else|fi|or)(?![A-Za-z@])")
_NOT_IFS = {
    "iff",
    "ifthenelse",
    "iftoggle",
    "ifbool",
    "ifdef",
    "ifundef",
    "ifstrequal",
    "ifblank",
    "ifdefempty",
    "ifcsdef",
}


@dataclass
class Source:
    files: dict[str, str]  # .tex path -> text without comments
    bib: str  # every .bib and .bbl, joined
    flags: dict[str, bool] = field(default_factory=dict)
    chars: dict[str, str] = field(default_factory=dict)  # \def\x{0}: one-character macros
    defined: set[str] = field(default_factory=set)
    dead: list[str] = field(default_factory=list)  # text of skipped branches
    live: str = ""  # all .tex text without the skipped branches

    @property
    def all_text(self) -> str:
        return "\n".join(self.files.values())


def read_source(files: dict[str, bytes]) -> Source:
    texts, bib = {}, []
    for name, data in sorted(files.items()):
        text = data.decode("utf-8", "replace")
        if name.endswith((".tex", ".ltx")):
            texts[name] = strip_comments(text)
        elif name.endswith((".bib", ".bbl")):
            bib.append(text)
    src = Source(texts, "\n".join(bib))
    whole = src.all_text
    for flag in re.findall(r"\\newif\s*\\if([A-Za-z@]+)", whole):
        src.flags.setdefault(flag, False)
    for m in re.finditer(r"\\([A-Za-z@]+)(true|false)(?![A-Za-z@])", whole):
        if m.group(1) in src.flags:
            src.flags[m.group(1)] = m.group(2) == "true"
    for name, value in re.findall(
        r"\\(?:def|newcommand\*?|renewcommand\*?)\s*\{?\\([A-Za-z@]+)\}?\s*\{(.)\}", whole
    ):
        src.chars[name] = value
    src.defined = set(
        re.findall(
            r"\\(?:def|gdef|let|newcommand\*?|renewcommand\*?|providecommand\*?)\s*\{?\\([A-Za-z@]+)",
            whole,
        )
    )
    kept_files = {}
    for name, text in texts.items():
        kept, dead = _split_branches(text, src)
        kept_files[name] = kept
        src.dead.extend(dead)
    main = next(
        (
            n
            for n, t in sorted(kept_files.items())
            if "\\documentclass" in t and "\\begin{document}" in t
        ),
        None,
    )
    src.live = _assemble(main, kept_files, set()) if main else "\n".join(kept_files.values())
    return src


def _assemble(name: str, texts: dict[str, str], seen: set[str]) -> str:
    """``name``'s text with its \\input/\\include files put in (a simple resolver)."""
    seen.add(name)
    folder = str(Path(name).parent) if "/" in name else ""

    def one(m: re.Match) -> str:
        target = m.group(1).strip()
        for cand in (target, target + ".tex"):
            path = str(Path(folder) / cand) if folder else cand
            for p in (path, cand):
                if p in texts and p not in seen:
                    return _assemble(p, texts, seen)
        return ""

    return re.sub(r"\\(?:input|include|subfile)\s*\{([^}]*)\}", one, texts[name])


def _condition(text: str, m: re.Match, src: Source) -> tuple[bool | None, int]:
    """A small evaluator of the conditionals authors use to switch text off."""
    name, j = m.group(1), m.end()
    if name == "iffalse":
        return False, j
    if name == "iftrue":
        return True, j
    if name[2:] in src.flags:
        return src.flags[name[2:]], j
    if name == "if":
        rest = text[j:].lstrip(" ")
        pair = re.match(r"(\\[A-Za-z@]+|\S)\s?(\\[A-Za-z@]+|\S|\s)", rest)
        if not pair:
            return None, j

        def value(tok: str) -> str | None:
            return src.chars.get(tok[1:]) if tok.startswith("\\") else tok

        a, b = value(pair.group(1)), value(pair.group(2))
        if a is None or b is None:
            return None, j
        return a == b, j + (len(text[j:]) - len(rest)) + pair.end()
    if name == "ifdefined":
        cs = re.match(r"\s*\\([A-Za-z@]+)", text[j:])
        if cs:
            return cs.group(1) in src.defined, j + cs.end()
    return None, j


def _split_branches(text: str, src: Source) -> tuple[str, list[str]]:
    """(text without skipped branches, the skipped branches) of one file."""
    kept, dead, i = [], [], 0
    for m in _IF_TOKEN.finditer(text):
        if m.start() < i or m.group(1) in _NOT_IFS or not m.group(1).startswith("if"):
            continue
        value, j = _condition(text, m, src)
        if value is None:
            continue
        depth, k, else_at, end = 0, j, None, len(text)
        for t in _IF_TOKEN.finditer(text, j):
            tok = t.group(1)
            if tok.startswith("if") and tok not in _NOT_IFS:
                depth += 1
            elif tok == "fi":
                if depth == 0:
                    end, k = t.start(), t.end()
                    break
                depth -= 1
            elif tok == "else" and depth == 0 and else_at is None:
                else_at = (t.start(), t.end())
        else:
            k = len(text)
        true_part = text[j : else_at[0]] if else_at else text[j:end]
        false_part = text[else_at[1] : end] if else_at else ""
        kept.append(text[i : m.start()])
        kept.append(true_part if value else false_part)
        dead.append(false_part if value else true_part)
        i = k
    kept.append(text[i:])
    return "".join(kept), dead


def document_part(text: str) -> str:
    m = re.search(r"\\begin\s*\{document\}", text)
    return text[m.end() :] if m else text


# -- detectors --------------------------------------------------------------------------


@dataclass
class Check:
    src: Source
    result: LatexResult
    md: str
    md_words: list[str]
    examples: dict[str, list[str]] = field(default_factory=dict)

    def example(self, cls: str, text: str) -> None:
        self.examples.setdefault(cls, []).append(text[:140])


def dead_code(c: Check) -> int:
    md_grams = grams(c.md_words, GRAM)
    live_grams = grams(words(plain(c.src.live)), GRAM)
    count = 0
    for block in c.src.dead:
        seq = words(plain(block))
        for g in grams(seq, GRAM):
            if g in md_grams and g not in live_grams:
                count += 1
                c.example("dead", " ".join(g))
                break
    return count


def _theorem_titles(src: Source) -> dict[str, str]:
    titles = {
        "theorem": "Theorem",
        "lemma": "Lemma",
        "proposition": "Proposition",
        "corollary": "Corollary",
        "definition": "Definition",
        "assumption": "Assumption",
        "remark": "Remark",
        "claim": "Claim",
        "conjecture": "Conjecture",
        "example": "Example",
    }
    for env, title in re.findall(
        r"\\newtheorem\*?\s*\{([^}]*)\}\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}", src.live
    ):
        titles[env.strip()] = title.strip()
    return titles


def reference_kinds(c: Check) -> int:
    titles = _theorem_titles(c.src)
    kind_of: dict[str, str] = {}
    for env, title in titles.items():
        for m in re.finditer(r"\\begin\s*\{" + re.escape(env) + r"\}", c.src.live):
            end, _ = find_env_end(c.src.live, env, m.end())
            for key in re.findall(r"\\label\s*\{([^}]*)\}", c.src.live[m.end() : end]):
                kind_of[key.strip()] = title
    expected: Counter = Counter()
    for keys in re.findall(r"\\(?:autoref|cref|Cref)\s*\{([^}]*)\}", document_part(c.src.live)):
        for key in keys.split(","):
            if key.strip() in kind_of:
                expected[kind_of[key.strip()]] += 1
    prose = markdown_prose(c.md)
    count = 0
    for title, want in expected.items():
        blocks = set(re.findall(r"\*\*" + re.escape(title) + r" ([\w.]+?)[ .(*]", prose))
        mentions = [
            n
            for n in re.findall(r"(?<!\*\*)\b" + re.escape(title) + r"s? ([\w.]*\w)", prose)
            if n in blocks
        ]
        missing = max(0, want - len(mentions))
        if missing:
            c.example("kinds", f"{title}: {want} references, {len(mentions)} read as {title} N")
        count += missing
    return count


def labels(c: Check) -> int:
    keys = {k.strip() for k in re.findall(r"\\label\s*\{([^}]*)\}", c.src.all_text)}
    prose = before_references(c.md)
    count = 0
    for key in sorted(keys):
        if len(key) < 3 or not re.search(r"[:_\-./0-9]", key):
            continue
        hits = len(re.findall(r"(?<![\w:/.-])" + re.escape(key) + r"(?![\w:/-])", prose))
        if hits:
            c.example("labels", f"raw key {key} x{hits}")
        count += hits
    unresolved = prose.count("??")
    if unresolved:
        c.example("labels", f"?? x{unresolved}")
    count += unresolved
    md_grams = grams(c.md_words, 4)
    live = document_part(c.src.live)
    captions = []
    for m in re.finditer(r"\\(subfloat|subfigure)(?![A-Za-z])", live):
        first, j = read_optional(live, m.end())
        second, _ = read_optional(live, j)
        if (second or first) is not None:
            captions.append(second if second is not None else first)
    for m in re.finditer(r"\\begin\s*\{sub(figure|table)\}", live):
        end, _ = find_env_end(live, "sub" + m.group(1), m.end())
        cap = re.search(r"\\caption\s*\{", live[m.end() : end])
        if cap:
            text, _ = read_group(live, m.end() + cap.end() - 1)
            captions.append(text or "")
    for caption in captions:
        seq = words(plain(caption))
        if len(seq) >= 4 and not grams(seq[:6], 4) & md_grams:
            count += 1
            c.example("labels", "subcaption lost: " + " ".join(seq[:8]))
    return count


def equation_numbers(c: Check) -> int:
    live = _MATH.sub(" ", document_part(c.src.live))  # refs inside math stay in math
    refs = len(re.findall(r"\\eqref\s*\{", live))
    tags = set(re.findall(r"\\tag\*?\{([^}]*)\}", c.md))
    tags |= set(re.findall(r"\\text\{\(([^)]*)\)\}", c.md))
    # Pseudocode refers to equations too: code blocks count, math does not.
    text = re.sub(r"\$\$.*?\$\$", " ", before_references(c.md), flags=re.S)
    text = re.sub(r"\$[^$\n]*\$", " ", text)
    shown = [n for n in re.findall(r"\(([\w.]+)\)", text) if n in tags]
    missing = max(0, refs - len(shown))
    if missing:
        c.example("eqnum", f"{refs} \\eqref, {len(shown)} (N) with a visible tag")
    return missing


def _bib_keys(src: Source) -> set[str]:
    keys = set(re.findall(r"@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", src.bib))
    keys |= set(re.findall(r"\\bibitem\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}", src.bib + src.live))
    return {k.strip() for k in keys}


def _first_surnames(src: Source) -> dict[str, str]:
    out = {}
    for m in re.finditer(r"@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", src.bib):
        body = src.bib[m.end() :].split("\n@", 1)[0]
        author = re.search(
            r"\bauthor\s*=\s*[{\"](.+?)(?:\band\b|[}\"]\s*,|\n\s*\w+\s*=)", body, re.S
        )
        if not author:
            continue
        first = author.group(1).strip().strip("{}")
        surname = first.split(",")[0] if "," in first else (first.split() or [""])[-1]
        surname = words(plain(surname))
        if surname:
            out[m.group(1).strip()] = surname[-1]
    return out


_CITE = re.compile(r"\\(cite[a-zA-Z]*|Cite[a-zA-Z]*|[pP]arencite|[tT]extcite|autocite)\*?")


def citations(c: Check) -> int:
    known = _bib_keys(c.src)
    surnames = _first_surnames(c.src)
    body = before_references(c.md)
    live = document_part(c.src.live)
    count = 0
    raw = set()
    expected: Counter = Counter()
    for m in _CITE.finditer(live):
        j = m.end()
        while True:
            opt, j2 = read_optional(live, j)
            if opt is None:
                break
            j = j2
        keys, _ = read_group(live, j)
        for key in (keys or "").split(","):
            key = key.strip()
            if key in known:
                raw.add(key)
                if m.group(1) in (
                    "citet",
                    "Citet",
                    "citeauthor",
                    "Citeauthor",
                    "citealt",
                    "textcite",
                    "Textcite",
                ):
                    if key in surnames:
                        expected[surnames[key]] += 1
    for key in sorted(raw):
        # The key as one element of a citation bracket: "[key]", "[3, key]".
        pattern = r"\[(?:[^\]\n]*,\s*)?" + re.escape(key) + r"(?:\s*,[^\]\n]*)?\]"
        hits = len(re.findall(pattern, body))
        if hits:
            c.example("cites", f"raw key {key}")
        count += hits
    body_words = Counter(words(markdown_prose(body)))
    for surname, want in expected.items():
        missing = max(0, want - body_words[surname])
        if missing:
            c.example("cites", f"author {surname} missing x{missing}")
        count += missing
    return count


_LEAKS = [
    (re.compile(r"\bequal\s?\*"), "equal*"),
    (re.compile(r"(?<![\w.])\d*\.?\d+\s?(?:in|pt|cm|mm|ex)\s*\]"), "dimension ]"),
    (re.compile(r"(?m)^\s*\]\s*$"), "lone ]"),
    (re.compile(r"ccs2012|concept\\?_(?:id|desc|significance)"), "CCS XML"),
    (re.compile(r"acmcopyright|rightsretained|authorsperrow|printfolios"), "ACM metadata"),
    (re.compile(r"\b(?:19|20)\d\d(?:19|20)\d\d\b"), "glued years"),
    (re.compile(r"(?m)^\d+(?:\.\d+)?$"), "lone number"),
]


def title_page(c: Check) -> int:
    prose = markdown_prose(c.md)
    count = 0
    for pattern, what in _LEAKS:
        for m in pattern.finditer(prose):
            count += 1
            c.example("title", f"{what}: {m.group(0)!r}")
    names = []
    for m in re.finditer(r"\\(author|icmlauthor)\s*(?:\[[^\]]*\])?\s*\{", c.src.live):
        text, _ = read_group(c.src.live, m.end() - 1)
        for chunk in re.split(r"\\and|\\And|\\AND|\\\\", text or ""):
            seq = words(plain(re.sub(r"\\inst\{[^}]*\}|\$[^$]*\$", "", chunk)))
            if seq:
                names.append(seq[-1])
    md_raw = words_with_marks(prose)
    for name in set(names):
        glued = md_raw.get(name, 0)
        if glued:
            count += glued
            c.example("title", f"mark glued to {name}")
    has_abstract = re.search(r"\\begin\s*\{abstract\}|\\abstract\s*\{", c.src.live)
    if has_abstract and not c.result.abstract.strip():
        count += 1
        c.example("title", "abstract lost")
    return count


def words_with_marks(prose: str) -> Counter:
    """Surnames followed directly by an affiliation mark ("Stöter1", "Li*")."""
    found: Counter = Counter()
    for m in re.finditer(r"([^\W\d_]+)(?:\d+|[*†‡§])(?=[\s,.;)]|$)", prose):
        found[words(m.group(1))[-1] if words(m.group(1)) else ""] += 1
    return found


def lists_and_algorithms(c: Check) -> int:
    count = 0
    live = c.src.live
    list_envs = []
    for m in re.finditer(r"\\(?:re)?newenvironment\s*\{([^}]*)\}", live):
        _, j = read_optional(live, m.end())
        _, j = read_optional(live, j)
        begin, _ = read_group(live, j)
        if re.search(r"\\begin\s*\{(itemize|enumerate|list|description|compact\w*)\}", begin or ""):
            list_envs.append(m.group(1).strip())
    bullets = " ".join(
        " ".join(words(line))
        for line in re.findall(r"(?m)^\s*(?:[-*]|\d+\.)\s+(.*)$", markdown_prose(c.md))
    )
    body = document_part(live)
    for env in list_envs:
        for m in re.finditer(r"\\begin\s*\{" + re.escape(env) + r"\}", body):
            end, _ = find_env_end(body, env, m.end())
            for item in re.split(r"\\item(?![A-Za-z])", body[m.end() : end])[1:]:
                seq = words(plain(item))[:4]
                if len(seq) == 4 and " ".join(seq) not in bullets:
                    count += 1
                    c.example("lists", f"{env} item without bullet: {' '.join(seq)}")
    a2e = bool(re.search(r"\\usepackage\s*(\[[^\]]*\])?\s*\{[^}]*algorithm2e", live))
    expected = len(re.findall(r"\\begin\s*\{algorithmic\}", body))
    if a2e:
        for m in re.finditer(r"\\begin\s*\{algorithm\*?\}", body):
            end, _ = find_env_end(body, "algorithm", m.end())
            if re.search(r"\\;|\\(If|For|While|KwIn|SetKw\w*|eIf)\s*\{", body[m.end() : end]):
                expected += 1
    blocks = len(re.findall(r"(?m)^```text$", c.md))
    if expected > blocks:
        count += expected - blocks
        c.example("lists", f"{expected} algorithm bodies, {blocks} code blocks")
    flat = re.sub(r"\s+", "", c.md)
    for m in re.finditer(r"\\SetKw\w*", live):
        args, j = [], m.end()
        for _ in range(4):
            arg, j2 = read_group(live, j)
            if arg is None:
                break
            args.append(re.sub(r"[\s\\]", "", arg))
            j = j2
        leak = "".join(args)
        if len(args) >= 2 and leak and leak in flat:
            count += 1
            c.example("lists", f"keyword definition leaks: {leak}")
    return count


# Commands whose arguments are not meant to be read as text.
_NOT_TEXT = set(
    """label ref eqref autoref cref Cref pageref nameref vref input include
    includegraphics bibliography bibliographystyle usepackage documentclass vspace
    hspace setlength setcounter addtocounter begin end newcommand renewcommand
    providecommand def newenvironment renewenvironment newtheorem hypersetup definecolor
    color textcolor title shorttitle icmltitle icmltitlerunning runningtitle
    titlerunning authorrunning nocite graphicspath DeclareMathOperator captionsetup
    newif url href acmConference acmBooktitle acmDOI acmISBN acmPrice acmYear
    copyrightyear setcopyright settopmatter thispagestyle pagestyle linespread
    addbibresource crefname Crefname lstset sisetup pgfplotsset patchcmd mathtoolsset
    algrenewcommand algnewcommand theoremstyle numberwithin SetAlFnt SetKwProg
    SetKwFunction SetKwInOut SetKwInput SetKw SetKwData setstretch icmlsetsymbol
    icmlcorrespondingauthor icmlaffiliation icmlauthor email affiliation author
    institute shortauthors makeatletter colorlet arrayrulecolor rowcolor cellcolor
    multicolumn multirow newcolumntype resizebox scalebox adjustbox raisebox rotatebox
    parbox makebox framebox fontsize selectfont tikzset pgfplotstableread
    addplot node draw fill path coordinate""".split()
)


def dropped_text(c: Check) -> int:
    body = _MATH.sub(" ", document_part(c.src.live))
    md_grams = grams(c.md_words, 3)
    count = 0
    for m in re.finditer(r"\\([A-Za-z]+)\*?\s*(?:\[[^\]]*\])?\s*\{", body):
        if m.group(1) in _NOT_TEXT or m.group(1).startswith(("cite", "Cite")):
            continue
        arg, _ = read_group(body, m.end() - 1)
        arg = _NON_TEXT_ARGS.sub("\\\\relax ", arg or "")
        if all(re.fullmatch(r"[\w:.\-/+]*", t.strip()) for t in arg.split(",")):
            continue  # a list of keys (a macro around \cite), not text
        # The longest run of words no command interrupts (a macro's text may differ).
        runs = [words(plain(run)) for run in re.split(r"\\[A-Za-z@]+|[{}$]", arg or "")]
        seq = max(runs, key=len, default=[])
        if len(seq) >= 3 and tuple(seq[:3]) not in md_grams:
            count += 1
            c.example("dropped", f"\\{m.group(1)}{{{' '.join(seq[:6])}}}")
    return count


DETECTORS = (
    dead_code,
    reference_kinds,
    labels,
    equation_numbers,
    citations,
    title_page,
    lists_and_algorithms,
    dropped_text,
)


def check(files: dict[str, bytes], result: LatexResult) -> Check:
    md = result.body + "\n" + result.abstract
    return Check(read_source(files), result, md, words(html.unescape(markdown_prose(md))))


def main(argv: list[str]) -> int:
    show = "--show" in argv
    args = [a for a in argv if a != "--show"]
    if len(args) > 1 or any(a.startswith("-") for a in args):
        print("usage: latex_defects.py [FOLDER] [--show]", file=sys.stderr)
        return 2
    folder = Path(args[0]) if args else DEFAULT
    if not folder.is_dir():
        print(f"e-print folder {folder} not found; nothing to measure (skipped)")
        return 0
    rows, totals, failed = [], Counter(), False
    slowest = 0.0
    for paper in sorted(p for p in folder.iterdir() if (p / "raw").is_dir()):
        path = find_eprint(paper / "raw")
        if path is None:
            continue
        try:
            eprint = read_eprint(path)
            started = time.perf_counter()
            result = convert_latex(eprint.files)
            seconds = time.perf_counter() - started
        except RefsError as exc:
            rows.append([paper.name, *["-"] * len(CLASSES), "-", f"error: {exc}"[:60]])
            failed = True
            continue
        c = check(eprint.files, result)
        counts = [detector(c) for detector in DETECTORS]
        totals.update(dict(zip(CLASSES, counts, strict=True)))
        slowest = max(slowest, seconds)
        rows.append([paper.name, *counts, sum(counts), f"{seconds:.2f}s"])
        if show:
            for cls in CLASSES:
                for text in c.examples.get(cls, [])[:5]:
                    console.print(f"  {paper.name} {cls}: {text}")
    rows.append(
        ["TOTAL", *(totals[k] for k in CLASSES), sum(totals.values()), f"max {slowest:.2f}s"]
    )
    console.print(
        table("LaTeX defect classes (issue 10)", ("e-print", *CLASSES, "all", "time"), rows)
    )
    return 1 if failed or sum(totals.values()) or slowest >= 1.0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
