"""LaTeX e-print -> markdown: the pipeline behind `convert_latex`.

Data in, data out: the e-print's text files (path -> bytes) give the main file,
`\\input`s resolved, comments stripped, the paper's macros expanded; the renderer
then walks the document body once and writes markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...errors import RefsError
from . import macros as latex_macros
from .citations import bibliography_sources
from .render import Renderer
from .scan import strip_comments
from .source import BEGIN_DOC, END_DOC, decode, find_main, protect_verbatim, resolve_inputs
from .xref import NEWTHEOREM


@dataclass
class LatexResult:
    body: str  # markdown, headings from level 2 down
    abstract: str  # the paper's own abstract, rendered (may be empty)
    main: str  # path of the main file inside the e-print
    notes: list[str] = field(default_factory=list)


def convert_latex(files: dict[str, bytes]) -> LatexResult:
    """Markdown of the LaTeX paper in ``files``; RefsError when there is no main file."""
    verbatim: list[tuple[str, str, bool]] = []
    raw = {name: decode(data) for name, data in sorted(files.items())}
    main = find_main(raw)
    if main is None:
        raise RefsError(
            "no .tex file with both \\documentclass and \\begin{document} in the e-print"
        )
    texts = {
        name: strip_comments(protect_verbatim(text, verbatim))
        if name.endswith((".tex", ".ltx"))
        else text
        for name, text in raw.items()
    }
    notes: list[str] = []
    full = resolve_inputs(main, texts, notes)
    macros, full = latex_macros.collect(full)
    theorems = {env: title for env, title in NEWTHEOREM.findall(full)}
    begin = BEGIN_DOC.search(full)
    end = END_DOC.search(full, begin.end() if begin else 0)
    document = full[begin.end() if begin else 0 : end.start() if end else len(full)]
    document = latex_macros.expand(document, macros)

    bib, db, bib_source = bibliography_sources(texts, main, document)
    if bib:
        bbl_macros, _ = latex_macros.collect(texts.get(bib_source, ""))
        merged = {**bbl_macros, **macros}
        bib = [(key, latex_macros.expand(text, merged)) for key, text in bib]
    renderer = Renderer(bib, db, verbatim, theorems)
    body = renderer.markdown(document)
    if "\x00REFERENCES\x00" not in body and (bib or renderer.cite_order or renderer.nocite_all):
        body += "\n\n" + renderer.references_markdown()
    else:
        body = body.replace("\x00REFERENCES\x00", renderer.references_markdown())
    if renderer.footnotes:
        body += "\n\n" + "\n\n".join(f"[^{n}]: {t}" for n, t in enumerate(renderer.footnotes, 1))
    body = renderer.resolve_refs(body)
    abstract = renderer.resolve_refs(renderer.abstract)

    notes.insert(0, f"converted from LaTeX source (main file: {main})")
    if bib:
        notes.append(f"references numbered in the order of the bibliography ({bib_source})")
    elif db:
        notes.append(f"references numbered in order of first citation from {bib_source}")
    if renderer.unresolved_cites:
        keys = ", ".join(sorted(renderer.unresolved_cites)[:20])
        notes.append(f"citation keys without a bibliography entry, kept as keys: {keys}")
    if renderer.unknown:
        names = ", ".join("\\" + n for n in sorted(renderer.unknown)[:30])
        notes.append(f"commands without a markdown form, kept as their text: {names}")
    return LatexResult(body=body.strip() + "\n", abstract=abstract, main=main, notes=notes)
