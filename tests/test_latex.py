"""LaTeX -> markdown: structure, numbering, macros, cites, math, tables, figures."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from gfm_corpus import ours
from math_blocks import (
    BLOCK_LIKE_DISPLAYS,
    DISPLAYS_SHOWN,
    site_formulas,
    split_on_github,
    whole_on_github,
)
from sample_papers import BBL, MAIN_TEX, METHOD_TEX

from extract.convert.latex import convert_latex, find_main, resolve_inputs
from extract.convert.latex.macros import collect, expand
from extract.convert.latex.scan import strip_comments
from extract.errors import RefsError


def _files(**extra: str) -> dict[str, bytes]:
    files = {"main.tex": MAIN_TEX, "sections/method.tex": METHOD_TEX, "main.bbl": BBL}
    files.update(extra)
    return {k: v.encode() for k, v in files.items()}


def _doc(body: str, preamble: str = "", **extra: str) -> str:
    tex = (
        f"\\documentclass{{article}}\n{preamble}\n\\begin{{document}}\n{body}\n\\end{{document}}\n"
    )
    # keyword names stand for file names: refs_bib -> refs.bib
    files = {"paper.tex": tex.encode()}
    files.update({k.replace("_", "."): v.encode() for k, v in extra.items()})
    return convert_latex(files).body


@pytest.fixture(scope="module")
def bundle_md() -> str:
    return convert_latex(_files()).body


def _headings(md: str) -> list[str]:
    return re.findall(r"^#+ .*$", md, re.M)


def test_sections_numbered_as_in_the_paper(bundle_md):
    assert _headings(bundle_md) == [
        "## 1 Introduction",
        "## 2 Method",
        "### 2.1 Stages",
        "## Acknowledgements",
        "## References",
        "## A Extra Results",
    ]


def test_input_resolved_and_macros_expanded(bundle_md):
    assert "Each stage holds a vector $\\mathbf{x}_i$ and a (a, b) pair." in bundle_md
    assert "We present StageFlow for video models and cite" in bundle_md


def test_comments_stripped_but_escaped_percent_kept(bundle_md):
    assert "comment that must vanish" not in bundle_md
    assert "A discount of 50% stays." in bundle_md


def test_citations_numbered_by_bbl_order_with_references(bundle_md):
    assert "cite prior work [2, 3]." in bundle_md
    assert "Later work [1] builds" in bundle_md
    refs = bundle_md.split("## References", 1)[1].split("## A", 1)[0]
    assert (
        refs.strip().splitlines()[0]
        == "[1] P. Qi and others. Zero bubble pipelines. In *ICLR*, 2024."
    )
    assert "[3] D. Narayanan. Pipeline parallel training. 2019." in refs


def test_refs_resolve_to_numbers(bundle_md):
    assert "see Section 2 and Eq. (1)." in bundle_md
    assert "Figure 1 shows it." in bundle_md
    assert "More numbers in Table 1." in bundle_md


def test_equations_tables_figures_lists(bundle_md):
    assert "$$\nL = \\sum_i \\| \\mathbf{x}_i \\|^2 \\tag{1}\n$$" in bundle_md
    assert "$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$" in bundle_md
    assert (
        "| Stages | Time | Speedup |\n|---|---|---|\n| 1 | 10.0 | 1.0 |\n| 4 | 2.6 | 3.8 |"
        in bundle_md
    )
    assert "**Table 1:** Speed per stage." in bundle_md
    assert "[Figure 1: The pipeline schedule.]" in bundle_md
    assert "- first point\n- second point with `code_name`" in bundle_md
    assert "**Schedule** The schedule is *one forward, one backward* and **bold**." in bundle_md


def test_footnote_and_url(bundle_md):
    assert "Figure 1 shows it.[^1]" in bundle_md
    assert "[^1]: See the [https://example.org/code](https://example.org/code) page." in bundle_md


def test_abstract_is_returned_separately():
    result = convert_latex(_files())
    assert result.abstract == "Our own abstract text."
    assert "Our own abstract text" not in result.body
    assert result.notes[0] == "converted from LaTeX source (main file: main.tex)"


def test_output_is_deterministic():
    assert convert_latex(_files()).body == convert_latex(_files()).body


def test_find_main_prefers_conventional_name_then_largest():
    doc = "\\documentclass{article}\\begin{document}%s\\end{document}"
    texts = {"a.tex": doc % ("x" * 50), "ms.tex": doc % "y", "notes.tex": "no class"}
    assert find_main(texts) == "ms.tex"
    del texts["ms.tex"]
    texts["b.tex"] = doc % ("x" * 500)
    assert find_main(texts) == "b.tex"
    assert find_main({"c.tex": "% \\documentclass{x}\nhello"}) is None


def test_no_main_file_is_a_clear_error():
    with pytest.raises(RefsError, match="documentclass"):
        convert_latex({"x.tex": b"just text"})


def test_input_cycles_and_missing_files_leave_notes():
    texts = {"main.tex": "A \\input{b} Z", "b.tex": "B \\input{main.tex} \\include{gone}"}
    notes: list[str] = []
    out = resolve_inputs("main.tex", texts, notes)
    assert "A B" in out and out.count("A ") == 1
    assert any("include itself again" in n for n in notes)
    assert any("gone" in n for n in notes)


def test_strip_comments_keeps_escaped_percent_and_paragraphs():
    assert strip_comments("a % x\nb\n% whole line\n\nc 5\\% d") == "a b\n\nc 5\\% d"


def test_macros_with_arguments_defaults_and_def():
    macros, rest = collect(
        "\\newcommand{\\R}{\\mathbb{R}}\\renewcommand\\pair[2][x]{(#1,#2)}"
        "\\def\\swap#1#2{#2#1}\\DeclareMathOperator{\\sg}{sg}T"
    )
    assert rest == "T"
    assert expand("\\R \\pair{y} \\pair[z]{w} \\swap{a}{b} \\sg", macros) == (
        "\\mathbb{R} (x,y) (z,w) ba \\operatorname{sg}"
    )


def test_recursive_macro_stops():
    macros, _ = collect("\\newcommand{\\loop}{a\\loop}")
    assert expand("\\loop", macros).startswith("aaaa")


def test_starred_sections_and_appendix_letters():
    md = _doc(
        "\\section{One}\\subsection{Sub}\\subsubsection{Deep}\\section*{Plain}"
        "\\appendix\\section{First}\\subsection{Inner}\\section{Second}"
    )
    assert _headings(md) == [
        "## 1 One",
        "### 1.1 Sub",
        "#### 1.1.1 Deep",
        "## Plain",
        "## A First",
        "### A.1 Inner",
        "## B Second",
    ]


def test_bib_file_numbered_by_first_citation():
    bib = (
        "@article{late, author={Zed, Anna and Bo Yu and Cy Di}, title={{Late}}, journal={J}, year=2020}\n"
        '@inproceedings{early, author="Ann Early", title="Early Work", booktitle={Conf}, year={2019}}\n'
        "@misc{unused, title={Never}}\n"
    )
    md = _doc("See \\cite{early} and \\citet{late,early}.\n\\bibliography{refs}", refs_bib=bib)
    assert "See [1] and Zed et al. [2], Early [1]." in md
    refs = md.split("## References", 1)[1]
    assert "[1] Ann Early. Early Work. Conf, 2019." in refs
    assert "[2] Anna Zed, Bo Yu, and Cy Di. Late. J, 2020." in refs
    assert "Never" not in refs


def test_unknown_cite_key_kept_and_noted():
    files = {"p.tex": b"\\documentclass{x}\\begin{document}See \\cite{nokey}.\\end{document}"}
    result = convert_latex(files)
    assert "See [nokey]." in result.body
    assert any("nokey" in n for n in result.notes)


def test_math_forms():
    md = _doc(
        "Inline $a+b$ and \\(c\\).\n$$x=1$$\n\\[y=2\\]\n\\begin{equation*}z=3\\end{equation*}"
    )
    assert "Inline $a+b$ and $c$." in md
    for tex in ("x=1", "y=2", "z=3"):
        assert f"$$\n{tex}\n$$" in md


def test_align_labels_number_each_row():
    md = _doc(
        "\\begin{align}a&=1\\label{e:a}\\\\b&=2\\nonumber\\\\c&=3\\label{e:c}\\end{align}"
        "Rows \\eqref{e:a} and \\ref{e:c}."
    )
    assert "Rows (1) and 2." in md
    assert "\\nonumber" not in md and "\\label" not in md


def test_table_with_multicolumn_rules_and_pipes():
    md = _doc(
        "\\begin{tabular}{|l|c|}\\hline\\multicolumn{2}{c}{Head} \\\\ \\cline{1-2}"
        "a $|x|$ & \\textbf{b} \\\\[2pt]\\hline\\end{tabular}"
    )
    assert "| Head |  |\n|---|---|\n| a $\\|x\\|$ | **b** |" in md


def test_nested_lists_and_enumerate():
    md = _doc(
        "\\begin{enumerate}\\item one\\begin{itemize}\\item inner\\end{itemize}"
        "\\item two\\end{enumerate}\\begin{description}\\item[Key] value\\end{description}"
    )
    assert "1. one\n\n    - inner\n\n2. two" in md
    assert "- **Key** value" in md


def test_unknown_commands_keep_their_text():
    md = _doc("Keep \\weirdcmd[opt]{these words} and \\textcolor{red}{red words}.")
    assert "Keep opt these words and red words." in md


def test_subfigures_and_verbatim():
    md = _doc(
        "\\begin{figure}\\begin{subfigure}{0.5\\linewidth}\\caption{Left}\\end{subfigure}"
        "\\caption{Both}\\label{f}\\end{figure}\n"
        "\\begin{verbatim}\nx = 50% # not a comment\n\\end{verbatim}\nUse \\verb|a_b|."
    )
    assert "[Figure 1a: Left]" in md and "[Figure 1: Both]" in md
    assert "```\nx = 50% # not a comment\n```" in md
    assert "Use `a_b`." in md


def test_accents_quotes_dashes_and_group_emphasis():
    md = _doc("Erd\\H{o}s and G\\\"odel, ``quoted'' -- range --- dash, {\\em emph} {\\bf bold}.")
    assert "Erdős and Gödel, “quoted” – range — dash, *emph* **bold**." in md


def test_inline_thebibliography():
    md = _doc(
        "Cite \\cite{k2}.\n\\begin{thebibliography}{9}\\bibitem{k1} One.\\bibitem[X]{k2} Two."
        "\\end{thebibliography}"
    )
    assert "Cite [2]." in md
    assert "## References\n\n[1] One.\n\n[2] Two." in md


def test_label_inside_heading_theorems_algorithms_and_natbib_bbl():
    tex = (
        "\\documentclass{article}\\begin{document}\\section{Intro\\label{s}}"
        "As in \\citep[see][p.~3]{a}; \\autoref{s}.\n"
        "\\begin{theorem}[Main] All is fine.\\end{theorem}\\begin{proof} Trivial.\\end{proof}\n"
        "\\begin{algorithm}\\caption{Sched}\\begin{algorithmic}\\State go\\For{$i$}\\State run"
        "\\EndFor\\end{algorithmic}\\end{algorithm}\\bibliography{r}\\end{document}"
    )
    bbl = (
        "\\begin{thebibliography}{1}\\providecommand{\\natexlab}[1]{#1}\n"
        "\\bibitem[{Huang et~al.(2019)}]{a} Huang, Y. (2019{\\natexlab{a}}).\n\\newblock GPipe.\n"
        "\\end{thebibliography}"
    )
    md = convert_latex({"ms.tex": tex.encode(), "ms.bbl": bbl.encode()}).body
    assert "As in [see 1, p. 3]; Section 1." in md
    assert "**Theorem 1 (Main).** All is fine." in md and "*Proof.* Trivial." in md
    assert "**Algorithm 1:** Sched" in md
    assert "```text\ngo\nfor $i$ do\n    run\nend for\n```" in md
    assert "[1] Huang, Y. (2019a). GPipe." in md


def test_display_math_stays_one_formula_whatever_its_lines_begin_with():
    md = _doc(BLOCK_LIKE_DISPLAYS + "See \\eqref{e:dual}.")
    assert split_on_github(md) == []
    assert len(whole_on_github(md)) == 6
    formulas, left = site_formulas(md)
    assert left == []
    assert [" ".join(f.split()) for f in formulas] == DISPLAYS_SHOWN
    assert "See (1)." in md


_BM = (
    "\\def\\bm#1{\\mathchoice{\\mbox{\\boldmath$\\displaystyle#1$}}{\\mbox{\\boldmath$#1$}}"
    "{\\mbox{\\boldmath$\\scriptstyle#1$}}{\\mbox{\\boldmath$\\scriptscriptstyle#1$}}}"
    "\\newcommand{\\vb}[1]{\\mbox{$#1$}}"
)


def _inline_formulas_on_the_site(md: str) -> list[str]:
    soup = BeautifulSoup(ours(md), "lxml")
    return [s.get_text() for s in soup.find_all("span", class_="arithmatex")]


def test_text_boxes_with_their_own_dollars_inside_math_stay_math():
    md = _doc(
        "Data $\\bm{x}$ and $p(\\bm{x}, \\bm{\\theta})$, $a^\\vb{k+1}$,\n"
        "$\\text{$q$ if}\\ \\hbox{$z$}$ and $\\mbox{\\boldmath$y$ bold}$.\n"
        "\\[ \\bm{x}_{\\bm{\\theta}} = \\mbox{\\boldmath$y$} + \\vb{w} \\]",
        preamble=_BM,
    )
    assert (
        "Data $\\boldsymbol{x}$ and $p(\\boldsymbol{x}, \\boldsymbol{\\theta})$, $a^{k+1}$,"
        " ${{q}\\text{ if}}\\ {z}$ and ${\\boldsymbol{y}\\mbox{ bold}}$." in md
    )
    # \\mathchoice keeps its text-style branch: `\\displaystyle` would enlarge subscripts
    assert "$$\n\\boldsymbol{x}_{\\boldsymbol{\\theta}} = \\boldsymbol{y} + {w}\n$$" in md
    assert split_on_github(md) == []
    assert _inline_formulas_on_the_site(md) == [
        "\\(\\boldsymbol{x}\\)",
        "\\(p(\\boldsymbol{x}, \\boldsymbol{\\theta})\\)",
        "\\(a^{k+1}\\)",
        "\\({{q}\\text{ if}}\\ {z}\\)",
        "\\({\\boldsymbol{y}\\mbox{ bold}}\\)",
    ]
    # a `{` the formula never closes: it ends at the next `$`, as it always did
    assert "A $x{$ b $c$ d." in _doc("A $x{$ b $c$ d.")


def test_macro_argument_after_a_control_word_stays_a_separate_token():
    macros, _ = collect("\\def\\big#1{\\displaystyle#1}\\newcommand{\\f}[1]{\\alpha#1\\beta}")
    assert expand("\\big{x} \\f{y} \\f{1} \\big{\\theta}", macros) == (
        "\\displaystyle x \\alpha y\\beta \\alpha1\\beta \\displaystyle\\theta"
    )


def test_inline_formulas_back_to_back_stay_two_formulas():
    # GitHub reads `$a$$b$` as a `$$` display opener; one formula of braced parts
    # shows what TeX shows for two formulas written together.
    md = _doc(
        "Cost $a$$b$, \\(c\\)\\(d\\) and $\\alpha$\\(x\\)\\ensuremath{y}; $1$ $2$; $u$\n$v$.\n\n"
        "Size \\rn\\Gsz.",
        preamble="\\newcommand{\\rn}{$n$}\\newcommand{\\Gsz}{\\ensuremath{\\ |G|}}",
    )
    assert "Cost ${a}{b}$, ${c}{d}$ and ${\\alpha}{x}{y}$; $1$ $2$; $u$ $v$." in md
    assert "Size ${n}{\\ |G|}$." in md
    assert split_on_github(md) == []
    assert _inline_formulas_on_the_site(md)[:4] == [
        "\\({a}{b}\\)",
        "\\({c}{d}\\)",
        "\\({\\alpha}{x}{y}\\)",
        "\\(1\\)",
    ]
