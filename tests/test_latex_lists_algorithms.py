"""Defect class 7: a paper's own list environments keep their bullets; pseudocode
stays structured code with no keyword definitions leaking."""

from __future__ import annotations

from latex_paper import paper

OWN_LISTS = (
    "\\newenvironment{tightlist}{\\begin{list}{$\\bullet$}{\\itemsep 1pt \\parsep 0pt}}"
    "{\\end{list}}\n"
    "\\newenvironment{steps}{\\begin{enumerate}\\setlength{\\itemsep}{0pt}}{\\end{enumerate}}\n"
    "\\newenvironment{numbered}{\\begin{list}{\\arabic{n}.}{\\usecounter{n}}}{\\end{list}}\n"
)


def test_newenvironment_lists_keep_bullets_and_numbers():
    md = paper(
        "\\begin{tightlist}\\item Warm the pot.\\item Add leaves.\\end{tightlist}\n"
        "\\begin{steps}\\item Boil.\\item Pour.\\end{steps}\n"
        "\\begin{numbered}\\item Sip.\\item Smile.\\end{numbered}",
        preamble=OWN_LISTS,
    ).body
    assert "- Warm the pot.\n- Add leaves." in md
    assert "1. Boil.\n2. Pour." in md
    assert "1. Sip.\n2. Smile." in md
    assert "itemsep" not in md and "1pt" not in md


def test_environment_with_arguments_and_nesting():
    md = paper(
        "\\begin{boxed}{Note}Inside \\begin{tightlist}\\item deep\\end{tightlist}\\end{boxed}",
        preamble=OWN_LISTS + "\\newenvironment{boxed}[1]{\\textbf{#1:} }{ (end)}",
    ).body
    assert "**Note:** Inside" in md and "- deep" in md and "(end)" in md


def test_algorithm2e_body_is_a_structured_code_block():
    md = paper(
        "\\begin{algorithm}[t]\n\\DontPrintSemicolon\n\\SetKwProg{Fn}{Function}{ begin}{end}\n"
        "\\SetKwFunction{Steep}{Steep}\\SetKwInOut{Input}{input}\n"
        "\\Input{leaves $L$}\n"
        "\\Fn{\\Steep{$L$, $t$}}{\n  heat water\\;\n"
        "  \\eIf{$t > 3$}{\n    remove $L$\\;\n  }{\n    wait\\; \\tcp{patience}\n  }\n"
        "  \\ForEach{$c \\in C$}{\n    pour into $c$\\;\n  }\n}\n"
        "\\caption{Steeping}\\label{alg:steep}\n\\end{algorithm}\n"
        "See \\cref{alg:steep}.",
        preamble="\\usepackage[ruled]{algorithm2e}\\usepackage{cleveref}",
    ).body
    assert "**Algorithm 1:** Steeping" in md
    assert (
        "```text\ninput: leaves $L$\nFunction Steep($L$, $t$) begin\n    heat water\n"
        "    if $t > 3$ then\n        remove $L$\n    else\n        wait\n        // patience\n"
        "    end\n    foreach $c \\in C$ do\n        pour into $c$\n    end\nend\n```" in md
    )
    assert "See Algorithm 1." in md
    for leak in ("SetKw", "FnFunction", "SteepSteep", "Inputinput", "DontPrint"):
        assert leak not in md, leak


def test_algorithmic_uses_the_paper_keywords_and_noend():
    md = paper(
        "\\begin{algorithmic}[1]\n\\Require cup $c$\n\\Procedure{Fill}{$c$}\n"
        "\\While{$c$ not full}\\State add tea \\Comment{slowly}\\EndWhile\n"
        "\\State \\Return $c$\n\\EndProcedure\n\\end{algorithmic}",
        preamble="\\usepackage[noend]{algpseudocode}"
        "\\algrenewcommand\\algorithmicrequire{\\textbf{Input:}}",
    ).body
    assert (
        "```text\nInput: cup $c$\nprocedure Fill($c$)\n    while $c$ not full do\n"
        "        add tea ▷ slowly\n    return $c$\n```" in md
    )
    assert "end while" not in md


def test_algorithmic_inside_algorithm2e_float_inside_a_figure_keeps_lines_and_label():
    # A paper that loads algorithm2e and still writes an algorithmic body, in an
    # algorithm[H] placed inside a figure; a line label comes before the float's own.
    result = paper(
        "\\section{Method}\n\\begin{figure}[t]\n\\begin{algorithm}[H]\n"
        "\\caption{Policy search}\n\\begin{algorithmic}[1]\n"
        "\\STATE Initialize policy $\\pi$ \\label{line:init}\n\\WHILE{not done}\n"
        "\\STATE take a step\n\\ENDWHILE\n\\end{algorithmic}\n\\label{alg:search}\n"
        "\\end{algorithm}\n\\end{figure}\n"
        "Algorithm~\\ref{alg:search} starts at line~\\ref{line:init}.",
        preamble="\\usepackage[ruled]{algorithm2e}\\usepackage{algorithmic}",
    )
    md = result.body
    assert "**Algorithm 1:** Policy search" in md
    assert (
        "```text\nInitialize policy $\\pi$\nwhile not done do\n    take a step\nend while\n```"
        in md
    )
    assert "````" not in md
    assert "Algorithm 1 starts at line" in md
    assert not any("never defines" in note for note in result.notes)


def test_nested_list_content_is_indented_for_both_markdown_dialects():
    md = paper(
        "\\begin{enumerate}\\item Top\\begin{itemize}\\item inner\\end{itemize}"
        "\\item Next\\end{enumerate}"
    ).body
    assert md.strip() == "1. Top\n\n    - inner\n\n2. Next"


def test_enumitem_newlist_and_empty_item_labels():
    md = paper(
        "\\begin{todolist}\\item Buy tea.\\item[] Plain item.\\end{todolist}",
        preamble="\\usepackage{enumitem}\\newlist{todolist}{itemize}{2}",
    ).body
    assert "- Buy tea.\n- Plain item." in md
