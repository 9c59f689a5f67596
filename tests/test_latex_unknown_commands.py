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
