"""Defect class 1: text the authors switched off never reaches the markdown."""

from __future__ import annotations

import re

from latex_paper import paper

from extract.convert.latex.conditionals import State, resolve
from extract.convert.latex.macros import Macro


def test_iffalse_block_with_nested_conditionals_is_dropped():
    md = paper(
        "Kept before.\n\\iffalse\n\\section{Old Plan}\nScrapped idea \\ifx\\a\\b inner \\fi "
        "still scrapped.\n\\begin{equation}x=1\\end{equation}\n\\fi\nKept after."
    ).body
    assert "Kept before." in md and "Kept after." in md
    assert "Scrapped" not in md and "Old Plan" not in md and "x=1" not in md


def test_if_zero_and_if_one_compare_tokens_as_tex_does():
    md = paper("\\if0 zero-dropped \\fi\\if00 zero-kept \\fi\\if 1 also-dropped \\fi").body
    assert "zero-kept" in md
    assert "zero-dropped" not in md and "also-dropped" not in md


def test_macro_switch_picks_one_branch():
    md = paper(
        "\\if\\venue1 \\section{Long Form} long text \\else \\section{Short Form} short text \\fi",
        preamble="\\def\\venue{0}",
    ).body
    assert "## 1 Short Form" in md and "short text" in md
    assert "Long Form" not in md and "long text" not in md


def test_newif_flags_follow_their_last_setting():
    md = paper(
        "\\ifdraftmode margin remark\\else clean copy\\fi. \\ifextended Appendix note.\\fi",
        preamble="\\newif\\ifdraftmode\\draftmodetrue\\draftmodefalse\n\\newif\\ifextended"
        "\\extendedtrue",
    ).body
    assert "clean copy" in md and "Appendix note." in md
    assert "margin remark" not in md


def test_ifdefined_ifx_and_ifnum():
    md = paper(
        "\\ifdefined\\camera camera-on\\else camera-off\\fi; "
        "\\ifdefined\\longversion long-on\\else long-off\\fi; "
        "\\ifx\\mode\\fullmode same-mode\\else other-mode\\fi; "
        "\\ifnum\\level>2 high\\else low\\fi",
        preamble="\\newcommand{\\camera}{yes}\\def\\mode{full}\\def\\fullmode{full}\\def\\level{3}",
    ).body
    assert "camera-on; long-off; same-mode; high" in md


def test_ifthenelse_and_etoolbox_toggles():
    md = paper(
        "\\ifthenelse{\\boolean{showproofs}}{proof shown}{proof hidden}; "
        "\\iftoggle{arxiv}{arxiv copy}{journal copy}",
        preamble="\\newboolean{showproofs}\\setboolean{showproofs}{false}"
        "\\newtoggle{arxiv}\\toggletrue{arxiv}",
    ).body
    assert "proof hidden; arxiv copy" in md
    assert "proof shown" not in md and "journal copy" not in md


def test_conditionals_in_macro_bodies_are_decided_where_used():
    md = paper(
        "In text: \\method. In math: $\\method$.",
        preamble="\\newcommand{\\method}{\\ifmmode M_0\\else Mango\\fi}",
    ).body
    assert "In text: Mango. In math: $M_0$." in md


def test_dead_inputs_are_not_rendered():
    result = paper(
        "\\ifshort\\input{short}\\else\\input{long}\\fi",
        preamble="\\newif\\ifshort\\shorttrue",
        short_tex="The short body.",
        long_tex="The long body.",
    )
    assert "The short body." in result.body and "The long body." not in result.body


def test_undecidable_condition_keeps_first_branch_and_says_so():
    result = paper("\\ifdim\\linewidth>1pt wide\\else narrow\\fi")
    assert "narrow" not in result.body
    assert any("\\ifdim" in note for note in result.notes)


def test_resolve_leaves_definitions_unevaluated():
    state = State()
    text = "\\newcommand{\\x}{\\iffalse a\\fi b}\\iffalse gone\\fi kept"
    out = resolve(text, state)
    assert out == "\\newcommand{\\x}{\\iffalse a\\fi b}kept"  # TeX skips the space
    assert state.macros["x"] == Macro(0, "\\iffalse a\\fi b")


def test_iff_is_a_symbol_not_a_conditional():
    md = paper("$a \\iff b$ holds, and so does this sentence.").body
    assert re.search(r"\$a \\iff b\$ holds, and so does this sentence\.", md)


def test_removed_branches_and_macros_never_glue_control_words():
    result = paper(
        "\\noindent\\iffalse gone \\fi\\x{} one. \\y\\x two. "
        "\\makeatletter\\@ifundefined{nosuchthing}{undefined}{defined}"
        "\\@ifpackageloaded{natbib}{ natbib}{ no natbib}\\makeatother.",
        preamble="\\usepackage{natbib}\\def\\x{word}\\def\\y{}",
    )
    assert "word one. word two. undefined natbib." in result.body
    assert not any("commands without" in n for n in result.notes)


def test_a_backslash_that_ends_the_text_is_read_as_a_character():
    # \ifx compares the next two tokens; a lone trailing backslash is one of them.
    for text in ("\\ifx a\\", "\\if a\\", "\\ifx\\a\\"):
        assert isinstance(resolve(text, State()), str)
