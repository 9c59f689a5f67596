"""Defect classes 2-4: references name their kind, subfigures keep captions and
labels, and every equation number the text cites is visible."""

from __future__ import annotations

from latex_helpers import paper

THEOREMS = (
    "\\newtheorem{theorem}{Theorem}[section]\n"
    "\\newtheorem{lemma}[theorem]{Lemma}\n"
    "\\newtheorem{proposition}[theorem]{Proposition}\n"
    "\\newtheorem{corollary}[theorem]{Corollary}\n"
    "\\newtheorem{assumption}{Assumption}\n"
    "\\newtheorem{definition}{Definition}\n"
)


def test_autoref_and_cref_name_each_theorem_kind():
    md = paper(
        "\\section{Results}\n"
        "\\begin{assumption}\\label{as:warm}The kettle is warm.\\end{assumption}\n"
        "\\begin{definition}\\label{def:brew}A brew is a pour.\\end{definition}\n"
        "\\begin{lemma}\\label{lem:pour}Pouring ends.\\end{lemma}\n"
        "\\begin{proposition}\\label{prop:cup}Cups fill.\\end{proposition}\n"
        "\\begin{theorem}\\label{thm:tea}Tea is made.\\end{theorem}\n"
        "\\begin{corollary}\\label{cor:sip}Sipping works.\\end{corollary}\n"
        "By \\autoref{lem:pour}, \\cref{prop:cup}, \\Cref{cor:sip}, \\autoref{as:warm}, "
        "\\cref{def:brew} and \\autoref{thm:tea}; also \\cref{lem:pour,cor:sip}.",
        preamble=THEOREMS,
    ).body
    assert "**Assumption 1.** The kettle is warm." in md
    assert "**Lemma 1.1.** Pouring ends." in md
    assert "**Corollary 1.4.** Sipping works." in md
    assert (
        "By Lemma 1.1, Proposition 1.2, Corollary 1.4, Assumption 1, Definition 1 and "
        "Theorem 1.3; also Lemma 1.1 and Corollary 1.4." in md
    )


def test_same_kind_cref_list_is_plural_and_crefname_is_honoured():
    md = paper(
        "\\begin{lemma}\\label{a}A.\\end{lemma}\\begin{lemma}\\label{b}B.\\end{lemma}"
        "See \\cref{a,b} and \\cref{fig:pot}.\n"
        "\\begin{figure}\\caption{A pot.}\\label{fig:pot}\\end{figure}",
        preamble="\\newtheorem{lemma}{Lemma}\\crefname{figure}{Fig.}{Figs.}",
    ).body
    assert "See Lemmas 1 and 2 and Fig. 1." in md


def test_paper_own_autoref_name_is_used():
    md = paper(
        "\\section{Setup}\\label{sec:setup} As in \\autoref{sec:setup}.",
        preamble="\\renewcommand{\\sectionautorefname}{\\S\\@gobble}",
    ).body
    assert "As in §1." in md


def test_label_after_environment_refers_to_the_enclosing_section():
    md = paper(
        "\\section{One}\\begin{lemma}X.\\end{lemma}\\label{after} See \\ref{after}.",
        preamble="\\newtheorem{lemma}{Lemma}",
    ).body
    assert "See 1." in md


def test_undefined_label_reads_like_the_pdf_and_is_noted():
    result = paper("See Figure~\\ref{fig:missing-one}.")
    assert "See Figure ??." in result.body
    assert "fig:missing-one" not in result.body
    assert any("fig:missing-one" in note for note in result.notes)


def test_subcaption_subfigures_keep_captions_and_labels():
    md = paper(
        "\\begin{figure}\n"
        "\\begin{subfigure}{0.45\\linewidth}\\includegraphics{a}\\caption{Cold brew.}"
        "\\label{fig:cold}\\end{subfigure}\n"
        "\\begin{subfigure}{0.45\\linewidth}\\includegraphics{b}\\caption{Hot brew.}"
        "\\label{fig:hot}\\end{subfigure}\n"
        "\\caption{Two brews.}\\label{fig:brews}\n\\end{figure}\n"
        "Figure~\\ref{fig:cold} and \\autoref{fig:hot} of \\cref{fig:brews}."
    ).body
    assert "[Figure 1a: Cold brew.]" in md and "[Figure 1b: Hot brew.]" in md
    assert "[Figure 1: Two brews.]" in md
    assert "Figure 1a and Figure 1b of Figure 1." in md
    assert "fig:" not in md


def test_subfloat_and_subfigure_commands_with_labels_in_captions():
    md = paper(
        "\\begin{figure*}\n"
        "\\subfloat[Throughput of spoons.\\label{fig:tput}]{\\includegraphics{t}}\n"
        "\\subfloat[][Latency of forks.\\label{fig:lat}]{\\includegraphics{l}}\n"
        "\\caption{Cutlery.}\n\\end{figure*}\n"
        "\\begin{figure}\\subfigure[Ladles.]{\\includegraphics{x}\\label{fig:ladle}}"
        "\\caption{Ladle.}\\end{figure}\n"
        "See \\ref{fig:tput}, \\ref{fig:lat} and \\ref{fig:ladle}."
    ).body
    assert "[Figure 1a: Throughput of spoons.]" in md
    assert "[Figure 1b: Latency of forks.]" in md
    assert "[Figure 2a: Ladles.]" in md
    assert "See 1a, 1b and 2a." in md


def test_subfloats_after_a_caption_belong_to_the_next_figure():
    md = paper(
        "\\begin{figure*}\\begin{minipage}{.5\\textwidth}"
        "\\subfloat[Left.\\label{l}]{x}\\caption{First.}\\end{minipage}"
        "\\begin{minipage}{.5\\textwidth}\\subfloat[Right.\\label{r}]{y}\\caption{Second.}"
        "\\end{minipage}\\end{figure*} See \\ref{l} and \\ref{r}."
    ).body
    assert "[Figure 1a: Left.]" in md and "[Figure 2a: Right.]" in md
    assert "See 1a and 2a." in md


def test_multi_row_align_shows_every_number():
    md = paper(
        "\\begin{align}\na &= b \\label{eq:a}\\\\\nc &= d \\nonumber\\\\\n"
        "e &= \\begin{cases} 1 \\\\ 2 \\end{cases} \\label{eq:e}\n\\end{align}\n"
        "From \\eqref{eq:a} and \\eqref{eq:e}; \\cref{eq:e}."
    ).body
    assert "a &= b \\qquad\\text{(1)}" in md
    assert "e &= \\begin{cases} 1 \\\\ 2 \\end{cases} \\qquad\\text{(2)}" in md
    assert "c &= d \\\\" in md and "c &= d \\qquad" not in md
    assert "From (1) and (2); Equation (2)." in md


def test_explicit_tags_numberwithin_and_subequations():
    md = paper(
        "\\section{A}\\begin{equation}x\\label{e1}\\end{equation}"
        "\\begin{align}y &= 1 \\tag{$\\star$}\\label{star}\\\\ z &= 2\\label{z}\\end{align}"
        "\\begin{subequations}\\label{grp}\\begin{equation}u\\label{u}\\end{equation}"
        "\\begin{equation}v\\end{equation}\\end{subequations}"
        "Refs \\eqref{e1}, \\eqref{star}, \\eqref{z}, \\eqref{u}, \\eqref{grp}.",
        preamble="\\numberwithin{equation}{section}",
    ).body
    assert "x \\tag{1.1}" in md
    assert "y &= 1 \\qquad\\text{($\\star$)}" in md and "z &= 2 \\qquad\\text{(1.2)}" in md
    assert "u \\tag{1.3a}" in md and "v \\tag{1.3b}" in md
    assert "Refs (1.1), ($\\star$), (1.2), (1.3a), (1.3)." in md


def test_showonlyrefs_numbers_only_equations_the_text_cites():
    md = paper(
        "\\begin{equation}p\\label{p}\\end{equation}\\begin{equation}q\\label{q}\\end{equation}"
        "\\begin{equation}r\\end{equation} Only \\eqref{q}.",
        preamble="\\usepackage{mathtools}\\mathtoolsset{showonlyrefs}",
    ).body
    assert "$$\np\n$$" in md and "q \\tag{1}" in md and "$$\nr\n$$" in md
    assert "Only (1)." in md


def test_restatable_theorems_keep_their_number_when_restated():
    md = paper(
        "\\begin{restatable}[Cooling]{lemma}{cooling}\\label{lem:cool}Tea cools.\\end{restatable}"
        "\\begin{lemma}Other.\\end{lemma} Again: \\cooling* By \\cref{lem:cool}.",
        preamble="\\usepackage{thmtools}\\newtheorem{lemma}{Lemma}",
    ).body
    assert md.count("**Lemma 1 (Cooling).** Tea cools.") == 2
    assert "**Lemma 2.** Other." in md and "By Lemma 1." in md


def test_subcaptionbox_and_ieeeeqnarray_rows():
    md = paper(
        "\\begin{figure}\\subcaptionbox{Top view\\label{fig:top}}{\\includegraphics{t}}"
        "\\caption{Views.}\\end{figure}"
        "\\begin{IEEEeqnarray}{rCl} a &=& b \\label{ie:a}\\\\ c &=& d \\end{IEEEeqnarray}"
        "See \\ref{fig:top} and \\eqref{ie:a}."
    ).body
    assert "[Figure 1a: Top view]" in md
    assert "a &=& b \\qquad\\text{(1)}" in md and "{rCl}" not in md
    assert "See 1a and (1)." in md


def test_prettyref_formats_and_corollaries_numbered_within_theorems():
    md = paper(
        "\\section{A}\\label{sec:a}\\begin{theorem}\\label{thm:t}T.\\end{theorem}"
        "\\begin{corollary}\\label{cor:c}C.\\end{corollary}"
        "See \\pref{sec:a}, \\prettyref{thm:t} and \\cref{cor:c}.",
        preamble="\\usepackage{prettyref}\\newrefformat{sec}{Section~\\ref{#1}}"
        "\\newrefformat{thm}{Theorem~\\ref{#1}}\\newcommand{\\pref}[1]{\\prettyref{#1}}"
        "\\newtheorem{theorem}{Theorem}\\newtheorem{corollary}{Corollary}[theorem]",
    ).body
    assert "**Corollary 1.1.** C." in md
    assert "See Section 1, Theorem 1 and Corollary 1.1." in md
