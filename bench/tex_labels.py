"""Heading labels of a compiled LaTeX paper, derived from its source by script.

    python bench/tex_labels.py PAPER_DIR        # prints the labels (facts: headings only)

PAPER_DIR holds `SOURCE.txt` (its `tex:` line names the main file, relative to
`source/`) and `source/`. The main file is read with its `\\input`/`\\include`s
(comments, `\\iffalse` blocks and macros that swallow their argument dropped) up
to `\\end{document}`; every sectioning command becomes a label:
- `\\title`/`\\icmltitle` level 1; `\\chapter` 2 when the paper has chapters, then
  `\\section`, `\\subsection`, `\\subsubsection` one level each (starred ones too);
- a command the class sets run-in (its `\\@startsection` has a non-positive
  after-skip: `\\paragraph` everywhere, `\\subsubsection` in LNCS, ACM and IEEE) is
  a run-in label;
- headings LaTeX prints for an environment or command: Abstract, References or
  Bibliography, Acknowledgments (`acks`), Contents, List of Figures/Tables;
- `lead_ins`: bold or italic phrases the .tex itself sets at a paragraph's start
  (`\\textbf{...}`, `{\\bf ...}`, `\\emph{...}`), keywords and CCS blocks: a reader
  that makes one a heading is neither right nor wrong.
Heading text is the source's with user macros expanded, math letters as Unicode
and `\\ref`/`\\cite` as `?` (their numbers are the PDF's business).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ",
    "nu": "ν", "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ",
    "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ",
    "Omega": "Ω", "ell": "ℓ", "log": "log", "in": "∈", "cdot": "·", "times": "×",
}  # fmt: skip
_NAMES = {  # LaTeX's and the usual packages' heading names
    n: (0, t)
    for n, t in {
        "refname": "References", "bibname": "Bibliography", "abstractname": "Abstract",
        "contentsname": "Contents", "listfigurename": "List of Figures",
        "listtablename": "List of Tables", "acronymname": "Acronyms", "acksname": "Acknowledgments",
    }.items()
}  # fmt: skip
_STRUCTURE = (
    r"\\(paragraph|subsubsection|subsection|section|textbf|textit|emph|bfseries|itshape|bf|it|em)\b"
)
_HEADS = ("chapter", "section", "subsection", "subsubsection", "paragraph", "subparagraph")
_CMD = re.compile(
    r"\\(title|icmltitle|chapter|section|subsection|subsubsection|paragraph|subparagraph)"
    r"(\*?)\s*(?=[\[{])"
    r"|\\(begin)\{(abstract|acks|thebibliography)\}"
    r"|\\(printglossary)\s*\[[^\]]*title=(\\?\w+)"
    r"|\\(bibliography|printbibliography|tableofcontents|listoffigures|listoftables|appendix"
    r"|keywords|ccsdesc)\b"
    r"|\\begin\{(IEEEkeywords|CCSXML)\}"
    r"|((?:^|\n)[ \t]*(?:\\(?:noindent|medskip|smallskip|bigskip|par)\b\s*(?:\{\})?\s*"
    r"|\\vspace\*?\{[^}]*\}\s*|\\vskip\s*[\d.]+\s*[a-zA-Z]{2}\s*)*)"
    r"(\\textbf|\\textit|\\emph|\\textsc|\{\\(?:bf|it|em|bfseries|itshape)\b)"
)
# Classes whose files a repository rarely carries: their run-in commands.
_RUN_IN_DEFAULT = {
    "IEEEtran": {"subsubsection", "paragraph", "subparagraph"},
    "llncs": {"subsubsection", "paragraph", "subparagraph"},
    "acmart": {"subsubsection", "paragraph", "subparagraph"},
}


def arg(text: str, i: int) -> tuple[str, int]:
    """The brace group starting at or after ``i`` (spaces skipped): (content, end)."""
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i >= len(text) or text[i] != "{":
        m = re.match(r"\\[A-Za-z@]+|.", text[i:], re.S) if i < len(text) else None
        return (m.group(0), i + len(m.group(0))) if m else ("", i)
    depth = 0
    for j in range(i, len(text)):
        c = text[j]
        if c == "\\":
            continue
        if c == "{" and text[j - 1] != "\\":
            depth += 1
        elif c == "}" and text[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j + 1
    return text[i + 1 :], len(text)


def _skip_optional(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    if i < len(text) and text[i] == "[":
        depth = 0
        for j in range(i, len(text)):
            if text[j] == "[":
                depth += 1
            elif text[j] == "]":
                depth -= 1
                if depth == 0:
                    return j + 1
    return i


def strip_comments(text: str) -> str:
    text = re.sub(r"(?<!\\)%[^\n]*", "", text)
    # \iffalse ... \fi (nesting of \if... inside counted)
    out, i = [], 0
    for m in re.finditer(r"\\iffalse\b", text):
        if m.start() < i:
            continue
        out.append(text[i : m.start()])
        depth, j = 1, m.end()
        for t in re.finditer(r"\\(if[a-zA-Z@]*|fi)\b", text[m.end() :]):
            depth += -1 if t.group(1) == "fi" else 1
            if depth == 0:
                j = m.end() + t.end()
                break
        else:
            j = len(text)
        i = j
    out.append(text[i:])
    return "".join(out)


def read_tex(path: Path, seen: set[Path] | None = None) -> str:
    """The file with its \\input and \\include files in place, comments dropped."""
    seen = seen if seen is not None else set()
    if path in seen or not path.is_file():
        return ""
    seen.add(path)
    text = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
    base = path.parent

    def inline(m: re.Match) -> str:
        name = m.group(2).strip()
        for cand in (base / name, base / f"{name}.tex"):
            if cand.is_file() and cand.suffix in (".tex", ""):
                return read_tex(cand, seen)
            if cand.is_file() and cand.suffix == ".tex":
                return read_tex(cand, seen)
        return ""

    return re.sub(r"\\(input|include)\s*\{([^}]*)\}", inline, text)


def macros(text: str) -> dict[str, tuple[int, str]]:
    """User macros: name -> (argument count, body)."""
    found: dict[str, tuple[int, str]] = {}
    pat = re.compile(
        r"\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z@]+)\}?\s*(?:\[(\d)\])?\s*(?:\[[^\]]*\])?"
        r"|\\(?:def|gdef)\s*\\([A-Za-z@]+)\s*((?:#\d)*)"
        r"|\\DeclareMathOperator\*?\s*\{\\([A-Za-z@]+)\}"
    )
    for m in pat.finditer(text):
        name = m.group(1) or m.group(3) or m.group(5)
        nargs = int(m.group(2) or 0) if m.group(1) else len(m.group(4) or "") // 2
        body, _ = arg(text, m.end())
        if name not in found or found[name][1].startswith("@undefined"):
            found[name] = (nargs, body)  # the first real definition (babel captions: English)
    for m in re.finditer(r"\\let\s*\\([A-Za-z@]+)\s*=?\s*\\([A-Za-z@]+)", text):
        if m.group(2) in found:
            found.setdefault(m.group(1), found[m.group(2)])  # \let\ignore\Hide
    return {**_NAMES, **found}


def expand(text: str, defs: dict[str, tuple[int, str]], depth: int = 0) -> str:
    if depth > 8:
        return text
    out, i = [], 0
    for m in re.finditer(r"\\([A-Za-z@]+)", text):
        if m.start() < i:
            continue
        name = m.group(1)
        if name not in defs:
            continue
        nargs, body = defs[name]
        j = m.end()
        for n in range(1, nargs + 1):
            a, j = arg(text, j)
            body = body.replace(f"#{n}", a)
        out.append(text[i : m.start()])
        out.append(expand(body, defs, depth + 1) + " " * (nargs == 0))
        i = j
    out.append(text[i:])
    return "".join(out)


def plain(tex: str, defs: dict[str, tuple[int, str]]) -> str:
    """Heading source as the reader sees it printed (near enough for matching)."""
    t = expand(tex, defs).replace("\\\\", " ")
    t = re.sub(r"\\(label|index|footnote|thanks|hspace|vspace)\*?\s*\{[^{}]*\}", "", t)
    t = re.sub(r"\\(ref|cref|Cref|autoref|eqref|cite[a-z]*)\*?\s*(\[[^\]]*\])?\{[^{}]*\}", "?", t)
    t = re.sub(r"\\([A-Za-z]+)", lambda m: _GREEK.get(m.group(1), " "), t)
    t = re.sub(r"\\.", " ", t)
    t = re.sub(r"[{}$^_~]", " ", t)
    return " ".join(t.split())


def run_in_commands(source: Path, tex: str) -> set[str]:
    """Sectioning commands the paper's class or styles set run-in."""
    cls = re.search(r"\\documentclass\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}", tex)
    name = cls.group(1).strip() if cls else "article"
    run_in = set(_RUN_IN_DEFAULT.get(name, {"paragraph", "subparagraph"}))
    for f in sorted(source.rglob("*")):
        if f.suffix not in (".cls", ".sty"):
            continue
        if f.suffix == ".cls" and f.stem != name:
            continue
        text = strip_comments(f.read_text(encoding="utf-8", errors="replace"))
        for m in re.finditer(r"\\@startsection\s*\{(\w+)\}", text):
            parts, j = [], m.end()
            for _ in range(4):
                a, j = arg(text, j)
                parts.append(a)
            after = parts[3].strip()
            if m.group(1) in _HEADS:
                if after.startswith("-") or re.fullmatch(r"0(\.0*)?\s*\w*", after):
                    run_in.add(m.group(1))
                else:
                    run_in.discard(m.group(1))
    return run_in


def labels(paper: Path) -> dict:
    """{'headings': [{level, text, run_in}], 'lead_ins': [text]} of one paper folder."""
    info = (paper / "SOURCE.txt").read_text(encoding="utf-8")
    found = re.search(r"^tex:\s*(\S+)", info, re.M)
    if found is None:
        raise ValueError(f"{paper / 'SOURCE.txt'}: no `tex:` line naming the main .tex file")
    src = paper / "source" / found.group(1)
    if not src.is_file():
        raise ValueError(f"{src}: the main .tex file SOURCE.txt names is missing")
    tex = read_tex(src)
    defs = macros(tex)
    tex = tex.split("\\end{document}", 1)[0]
    body_start = tex.find("\\begin{document}")
    doc = tex[body_start:] if body_start >= 0 else tex
    structural = {
        name: d
        for name, d in defs.items()
        if d[0] >= 1 and re.search(_STRUCTURE, d[1]) and "ensuremath" not in d[1]
    }
    if structural:
        doc = expand(doc, structural)  # \parhead{X} -> \noindent{\bfseries X}
    for name, (nargs, body) in list(defs.items()):
        if nargs == 1 and body.strip() == "":
            # \newcommand{\ignore}[1]{}: its argument is not typeset
            doc = _drop_calls(doc, name)
    chapters = bool(re.search(r"\\chapter\*?\s*[\[{]", doc))
    report = chapters or bool(re.search(r"\\documentclass[^{]*\{(report|book)", tex))
    base = {"chapter": 2, "section": 2 + chapters, "subsection": 3 + chapters}
    base["subsubsection"] = 4 + chapters
    base["paragraph"] = 5 + chapters
    base["subparagraph"] = 6 + chapters
    run_in = run_in_commands(paper / "source", tex)
    heads: list[dict] = []
    lead_ins: list[str] = []
    title = ""
    for m in _CMD.finditer(doc):
        if m.group(1):
            cmd = m.group(1)
            j = _skip_optional(doc, m.end())
            content, _ = arg(doc, j)
            text = plain(content, defs)
            if not text:
                continue
            if cmd in ("title", "icmltitle"):
                title = title or text
                continue
            entry = {"level": min(base[cmd], 6), "text": text}
            if cmd in run_in:
                entry["run_in"] = True
            heads.append(entry)
        elif m.group(3):
            env = m.group(4)
            text = {"abstract": "Abstract", "acks": "Acknowledgments"}.get(env)
            if env == "thebibliography":
                text = "Bibliography" if report else "References"
            heads.append({"level": 2, "text": text})
        elif m.group(5):
            heads.append({"level": 2, "text": plain(m.group(6), defs)})
        elif m.group(7):
            cmd = m.group(7)
            named = {
                "bibliography": "Bibliography" if report else "References",
                "printbibliography": "Bibliography" if report else "References",
                "tableofcontents": "Contents",
                "listoffigures": "List of Figures",
                "listoftables": "List of Tables",
            }
            if cmd in named:
                if not (heads and heads[-1]["text"].lower() == named[cmd].lower()):
                    heads.append(
                        {"level": 2, "text": named[cmd]}
                    )  # not after \section*{References}
            elif cmd == "keywords":
                lead_ins.append("Keywords")
            elif cmd == "ccsdesc":
                lead_ins += ["CCS Concepts", "ACM Reference Format"]
        elif m.group(8):
            lead_ins.append("Index Terms" if m.group(8) == "IEEEkeywords" else "CCS Concepts")
        elif m.group(10):
            j = m.end()
            if m.group(10).startswith("{"):
                content, _ = arg(doc, m.start(10))
                content = re.sub(
                    r"^(\s*\\(bf|it|em|bfseries|itshape|boldmath|ignorespaces)\b)+", "", content
                )
            else:
                content, _ = arg(doc, j)
            text = plain(content, defs)
            if text and len(text.split()) <= 12:
                lead_ins.append(text.rstrip(".:"))
    if re.search(r"\\appendix\b", doc):
        lead_ins += ["Appendix", "Appendices"]  # some classes print \appendix as a heading
    if re.search(r"\\keywords\s*\{", tex):
        lead_ins.append("Keywords")
    if re.search(r"\\ccsdesc", tex):
        lead_ins += ["CCS Concepts", "ACM Reference Format"]
    if not title:
        m = re.search(r"\\(?:icml)?title\s*(?:\[[^\]]*\])?\s*\{", tex)
        title = plain(arg(tex, m.end() - 1)[0], defs) if m else ""
    if title:
        heads.insert(0, {"level": 1, "text": title})
    return {"headings": heads, "lead_ins": sorted(set(lead_ins))}


def _drop_calls(tex: str, name: str) -> str:
    out, i = [], 0
    for m in re.finditer(r"\\" + re.escape(name) + r"(?![A-Za-z@])", tex):
        if m.start() < i:
            continue
        out.append(tex[i : m.start()])
        _, i = arg(tex, m.end())
    out.append(tex[i:])
    return "".join(out)


if __name__ == "__main__":
    if len(sys.argv) != 2 or not (Path(sys.argv[1]) / "SOURCE.txt").is_file():
        print("usage: python bench/tex_labels.py PAPER_DIR (a folder with SOURCE.txt)")
        sys.exit(2)
    try:
        found = labels(Path(sys.argv[1]))
    except ValueError as exc:
        print(exc)
        sys.exit(2)
    for h in found["headings"]:
        print(f"{h['level']} {'run-in ' if h.get('run_in') else ''}{h['text']}")
    print("lead-ins:", "; ".join(found["lead_ins"]))
