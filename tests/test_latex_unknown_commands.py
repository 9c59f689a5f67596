"""Defect class 8: a command the converter does not know keeps its argument text and
is named in the conversion notes."""

from __future__ import annotations

from latex_helpers import paper


def test_unknown_commands_keep_argument_text_and_are_noted():
    result = paper(
        "A \\anotherone{kept words} B. \\twoargs{first part}{second part}. "
        "\\withopt[visible option]{main text}. \\withkeys[width=3cm]{boxed text}. "
        "Bare \\lonely here."
    )
    assert (
        "A kept words B. first part second part. visible option main text. boxed text. "
        "Bare here." in result.body
    )
    note = next(n for n in result.notes if n.startswith("commands without a markdown form"))
    for name in ("\\anotherone", "\\twoargs", "\\withopt", "\\withkeys", "\\lonely"):
        assert name in note


def test_math_symbols_in_running_text_stay_visible():
    md = paper("The \\zeta value and \\alpha-blend, \\ensuremath{\\beta^2} too.").body
    assert "The $\\zeta$ value and $\\alpha$-blend, $\\beta^2$ too." in md


def test_text_style_commands_and_package_helpers():
    md = paper(
        "\\textsc{Small} \\textsf{Sans} \\underline{Under} \\mbox{Box} \\enquote{said} "
        "\\nth{2} \\num{1000} \\SI{5}{ms} \\ding{51} \\makecell{two\\\\lines}"
    ).body
    assert "Small Sans Under Box “said” 2nd 1000 5 ms ✓ two lines" in md


def test_unknown_environment_keeps_content_and_is_noted():
    result = paper("\\begin{teabox}Inside words.\\end{teabox}")
    assert "Inside words." in result.body
    assert any("teabox" in n for n in result.notes)


def test_paper_macros_in_its_own_style_file_are_expanded():
    result = paper(
        "We use \\tool{} on $\\R^n$.",
        preamble="\\usepackage{mymacros}\\usepackage{neurips_2099}",
        mymacros_sty="\\ProvidesPackage{mymacros}\n\\newcommand{\\tool}{TeaPot}\n"
        "\\newcommand{\\R}{\\mathbb{R}}\n\\def\\section{layout junk}",
        neurips_2099_sty="\\newcommand{\\tool}{conference junk}",
    )
    assert "We use TeaPot on $\\mathbb{R}^n$." in result.body
    assert "junk" not in result.body


def test_texorpdfstring_headings_import_and_excluded_comments():
    result = paper(
        "\\section{Fast \\texorpdfstring{$O(n)$}{O(n)} brewing}\n\\import{parts/}{body}\n"
        "\\begin{draftnote}hidden words\\end{draftnote}\\begin{shown}shown words\\end{shown}",
        preamble="\\usepackage{comment}\\excludecomment{draftnote}\\includecomment{shown}",
        parts__body_tex="Imported words.",
    )
    assert "## 1 Fast $O(n)$ brewing" in result.body
    assert "Imported words." in result.body
    assert "shown words" in result.body and "hidden words" not in result.body


def test_lstlisting_caption_and_label_become_a_numbered_listing():
    md = paper(
        "\\begin{lstlisting}[language=Python, caption={Brew a pot}, label=lst:brew]\n"
        "def brew(): pass\n\\end{lstlisting}\nSee Listing~\\ref{lst:brew}."
    ).body
    assert "**Listing 1:** Brew a pot\n\n```python\ndef brew(): pass\n```" in md
    assert "See Listing 1." in md
