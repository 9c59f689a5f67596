"""LaTeX e-print -> markdown: the pipeline behind `convert_latex`.

Data in, data out: the e-print's text files (path -> bytes) give the main file,
`\\input`s resolved, comments stripped, switched-off text removed, the paper's
macros and environments expanded; the renderer then walks the document body once
and writes markdown. Every step that makes text from text is charged to one
`Budget`, so a hostile e-print stops with a clear error instead of running away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...errors import RefsError
from . import conditionals
from . import macros as latex_macros
from .budget import Budget
from .citations import bibliography_sources
from .graphics import Graphics, graphics_dirs
from .render import KNOWN_ENVS, Renderer, Setup, renderer_knows
from .scan import strip_comments
from .source import (
    BEGIN_DOC,
    END_DOC,
    Verbatim,
    decode,
    find_main,
    protect_verbatim,
    resolve_inputs,
)
from .titlepage import front_matter
from .xref import cref_names, numbered_within, ref_formats, theorem_kinds


@dataclass
class LatexResult:
    body: str  # markdown, headings from level 2 down
    abstract: str  # the paper's own abstract, rendered (may be empty)
    main: str  # path of the main file inside the e-print
    notes: list[str] = field(default_factory=list)


_CLASS_OPTIONS = re.compile(r"\\documentclass\s*\[([^\]]*)\]")
_REFERENCED = re.compile(
    r"\\(?:eqref|refeq|ref|cref|Cref|autoref|Autoref|labelcref|vref|crefrange)\*?\s*\{([^}]*)\}"
)
_PACKAGE = re.compile(r"\\usepackage\s*(?:\[([^\]]*)\])?\s*\{([^}]*)\}")
_CLASS = re.compile(r"\\documentclass\s*(?:\[([^\]]*)\])?\s*\{([^}]*)\}")


def _packages(preamble: str) -> dict[str, str]:
    """package name -> its options, as the preamble loads them."""
    found: dict[str, str] = {}
    for options, names in _PACKAGE.findall(preamble):
        for name in names.split(","):
            found[name.strip()] = options
    return found


# Packages papers often ship a copy of, and conference styles: their definitions are
# layout, or commands the renderer reads itself, never the paper's own macros.
_SHIPPED = frozenset(
    """algorithm algorithmic algorithmicx algpseudocode algcompatible algorithm2e fancyhdr
    natbib hyperref url times subfigure subfig caption xcolor color graphicx amsmath
    amssymb amsthm cleveref booktabs multirow enumitem listings float wrapfig microtype
    comment authblk titlesec geometry setspace""".split()
)
_CONFERENCE = re.compile(
    r"^(neurips|nips|icml|iclr|usenix|acl|naacl|emnlp|aaai|ijcai|cvpr|iccv|eccv|wacv|colm"
    r"|tmlr|jmlr|llncs|splncs|ieee|acm|sig|mlsys|coling|interspeech|kdd|vldb|sosp|osdi"
    r"|nsdi|eurosys|asplos|arxiv|preprint|jfm|elsarticle|revtex|aps|spconf)",
    re.I,
)
# Commands a style file must not turn into its own layout code.
KEEP_COMMANDS = frozenset("And AND and author affiliation institute email".split())


def local_styles(full: str, texts: dict[str, str]) -> list[str]:
    """The .sty files of the e-print that the paper loads and that hold its macros."""
    found = []
    for _, names in _PACKAGE.findall(full):
        for name in (n.strip() for n in names.split(",")):
            path = next((p for p in texts if p.endswith(name + ".sty")), None)
            if path and name not in _SHIPPED and not _CONFERENCE.match(name):
                if path not in found:
                    found.append(path)
    return found


def _setup(full: str, preamble: str, document: str, styles: list[str]) -> Setup:
    packages = _packages(preamble)
    referenced: set[str] = set()
    for keys in _REFERENCED.findall(document):
        referenced.update(k.strip() for k in keys.split(","))
    return Setup(
        theorems=theorem_kinds(full + "".join(styles)),
        within=numbered_within(full),
        cref_names=cref_names(full),
        ref_formats=ref_formats(preamble),
        show_only_refs=bool(re.search(r"\\mathtoolsset\s*\{[^}]*showonlyrefs", preamble))
        or "showonlyrefs" in packages.get("mathtools", ""),
        referenced=frozenset(referenced),
        algorithm2e="algorithm2e" in packages,
        dropped_envs=frozenset(re.findall(r"\\exclude(?:comment|version)\s*\{([^}]*)\}", preamble)),
        lists={
            name.strip(): "1." if kind.strip() == "enumerate" else "-"
            for name, kind in re.findall(
                r"\\newlist\s*\{([^}]*)\}\s*\{(itemize|enumerate|description)\}", preamble
            )
        },
        algo_noend=any(
            "noend" in packages.get(p, "")
            for p in ("algpseudocode", "algorithmic", "algcompatible")
        ),
    )


def convert_latex(
    files: dict[str, bytes], other_files: list[str] | None = None, archive: str = ""
) -> LatexResult:
    """Markdown of the LaTeX paper in ``files``; RefsError when there is no main file,
    or when the e-print passes a bound of its `Budget` (expansion bombs). With the
    e-print's ``archive`` name and its ``other_files``, figure markers name the
    member each figure shows."""
    try:
        return _convert(files, other_files or [], archive)
    except RecursionError as exc:
        raise RefsError(
            "the LaTeX source nests groups or environments too deeply to convert; "
            "delete the e-print to convert from the PDF instead"
        ) from exc


def _convert(files: dict[str, bytes], other_files: list[str], archive: str) -> LatexResult:
    verbatim: list[Verbatim] = []
    raw = {name: decode(data) for name, data in sorted(files.items())}
    main = find_main(raw)
    if main is None:
        raise RefsError(
            "no .tex file with both \\documentclass and \\begin{document} in the e-print"
        )
    texts = {
        name: strip_comments(protect_verbatim(text, verbatim))
        if name.endswith((".tex", ".ltx"))
        else strip_comments(text)
        if name.endswith(".sty")
        else text
        for name, text in raw.items()
    }
    notes: list[str] = []
    budget = Budget()
    full = resolve_inputs(main, texts, notes, budget=budget)
    options = _CLASS_OPTIONS.search(full)
    loaded = {
        name.strip()
        for pattern in (_PACKAGE, _CLASS)
        for _, names in pattern.findall(full)
        for name in names.split(",")
    }
    state = conditionals.State(
        packages=frozenset(loaded),
        class_options=frozenset(
            o.strip() for o in (options.group(1).split(",") if options else []) if o.strip()
        ),
        known=renderer_knows,
    )
    full = conditionals.resolve(full, state)
    styles = local_styles(full, texts)
    macros, full = latex_macros.collect(full)
    envs, full = latex_macros.collect_environments(full, keep=KNOWN_ENVS)
    for name in styles:  # the paper's own .sty: its macros, where the paper has none
        sty_macros, sty_text = latex_macros.collect(conditionals.resolve(texts[name], state))
        for key, macro in sty_macros.items():
            if key not in macros and not renderer_knows(key) and key not in KEEP_COMMANDS:
                macros[key] = macro
        sty_envs, _ = latex_macros.collect_environments(sty_text, keep=KNOWN_ENVS)
        for key, env in sty_envs.items():
            envs.setdefault(key, env)
    begin = BEGIN_DOC.search(full)
    end = END_DOC.search(full, begin.end() if begin else 0)
    preamble = full[: begin.start()] if begin else ""
    document = full[begin.end() if begin else 0 : end.start() if end else len(full)]
    front = front_matter(preamble)
    document = latex_macros.expand(front + document, macros, budget=budget, envs=envs)
    document = conditionals.resolve(document, state)

    bib = bibliography_sources(texts, main, full)
    for fields in bib.db.values():  # .bib fields spell accents with \ifmmode too
        for key, value in fields.items():
            if "\\if" in value:
                fields[key] = conditionals.resolve(value, conditionals.State(known=renderer_knows))
    if bib.items:
        bbl_state = conditionals.State(known=renderer_knows)
        bbl_text = conditionals.resolve(texts.get(bib.source, ""), bbl_state)
        bbl_macros, _ = latex_macros.collect(bbl_text)
        merged = {**bbl_macros, **macros}
        bib.items = [
            (
                key,
                latex_macros.expand(text, merged, budget=budget),
                latex_macros.expand(label, merged, budget=budget) if label else label,
            )
            for key, text, label in bib.items
        ]
    setup = _setup(full, preamble, document, [texts[name] for name in styles])
    renderer = Renderer(bib, verbatim, macros, setup)
    renderer.graphics = Graphics(archive, other_files, main, graphics_dirs(preamble))
    body = renderer.markdown(document)
    byline = renderer.finish(renderer.title_block())
    if byline:  # no \maketitle printed it: the byline goes first
        body = byline + "\n\n" + body
    renderer.number_references()
    references = renderer.references_markdown()
    if "\x00REFERENCES\x00" not in body:
        if references:
            body += "\n\n" + references
    else:
        body = body.replace("\x00REFERENCES\x00", references)
    if renderer.footnotes:
        body += "\n\n" + "\n\n".join(f"[^{n}]: {t}" for n, t in enumerate(renderer.footnotes, 1))
    body = renderer.resolve_refs(renderer.resolve_cites(body))
    abstract = renderer.resolve_refs(renderer.resolve_cites(renderer.abstract))

    notes.insert(0, f"converted from LaTeX source (main file: {main})")
    if bib.items:
        extra = len(renderer.reference_keys) - len(bib.items)
        notes.append(
            f"references numbered in the order of the bibliography ({bib.source})"
            + (f"; {extra} cited keys it lacks taken from {bib.source_bib}" if extra else "")
        )
    elif renderer.reference_keys:
        order = (
            "alphabetically, as the bibliography style sorts"
            if bib.sorted_style
            else ("in order of first citation")
        )
        notes.append(f"references numbered {order}, from {bib.source}")
    if renderer.unresolved_cites:
        keys = ", ".join(sorted(renderer.unresolved_cites)[:20])
        notes.append(f"citation keys without a bibliography entry, kept as keys: {keys}")
    if renderer.unresolved_refs:
        keys = ", ".join(sorted(renderer.unresolved_refs)[:20])
        notes.append(f"references to labels the paper never defines, shown as ??: {keys}")
    if state.undecided:
        names = ", ".join("\\" + n for n in sorted(state.undecided))
        notes.append(f"conditionals the source alone cannot decide, first branch kept: {names}")
    if renderer.unknown:
        names = ", ".join("\\" + n for n in sorted(renderer.unknown)[:30])
        notes.append(f"commands without a markdown form, kept as their text: {names}")
    if renderer.unknown_envs:
        names = ", ".join(sorted(renderer.unknown_envs)[:30])
        notes.append(f"environments without a markdown form, kept as their text: {names}")
    return LatexResult(body=body.strip() + "\n", abstract=abstract, main=main, notes=notes)
