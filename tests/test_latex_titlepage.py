"""Defect class 6: the title page becomes one clean byline; its metadata never leaks;
abstracts are found wherever the class puts them."""

from __future__ import annotations

import re

from latex_helpers import paper

from extract.convert.latex import convert_latex


def _byline(md: str) -> str:
    return md.split("\n\n", 1)[0]


def test_icml_title_block_leaks_nothing():
    result = paper(
        "\\twocolumn[\n\\icmltitle{Jam Pipelines}\n\\icmlsetsymbol{equal}{*}\n"
        "\\begin{icmlauthorlist}\n\\icmlauthor{Ada Quill}{equal,ink}\n"
        "\\icmlauthor{Bo Rind}{equal,lem}\n\\end{icmlauthorlist}\n"
        "\\icmlaffiliation{ink}{Institute of Kettles}\n\\icmlaffiliation{lem}{Lemon Lab}\n"
        "\\icmlcorrespondingauthor{Ada Quill}{ada@example.org}\n"
        "\\icmlkeywords{jam, toast}\n\\vskip 0.3in\n]\n"
        "\\printAffiliationsAndNotice{\\icmlEqualContribution}\n"
        "\\begin{abstract}Jam flows.\\end{abstract}\n\\section{Intro}Toast.",
        preamble="\\icmltitlerunning{Jam}",
    )
    md = result.body
    assert _byline(md) == "**Ada Quill** (Institute of Kettles), **Bo Rind** (Lemon Lab)"
    assert "**Keywords:** jam, toast" in md
    assert result.abstract == "Jam flows."
    for leak in ("equal", "0.3in", "]", "ada@example.org", "Jam Pipelines", "*"):
        assert leak not in md.replace("**", ""), leak


def test_acm_metadata_and_ccs_xml_do_not_leak():
    result = paper(
        "\\acmYear{2030}\\copyrightyear{2030}\\setcopyright{acmcopyright}\n"
        "\\acmConference[TEA '30]{Tea Conference}{May 1--2, 2030}{Leeds, UK}\n"
        "\\acmDOI{10.1/2}\\acmISBN{978-0-0000-0000-0/30/05}\\settopmatter{printfolios=false}\n"
        "\\title{Cups}\\author{Cam Handle}\\affiliation{\\institution{Cup Works}"
        "\\city{Leeds}\\country{UK}}\\email{cam@example.org}\n"
        "\\author{Dee Rim}\\affiliation{\\institution{Saucer Co}}\n"
        "\\begin{abstract}Cups hold tea.\\end{abstract}\n"
        "\\begin{CCSXML}\n<ccs2012><concept><concept_id>1</concept_id></concept></ccs2012>\n"
        "\\end{CCSXML}\n\\ccsdesc[500]{Kitchen~Crockery}\n\\keywords{cups, tea}\n"
        "\\thanks{Written in a teashop.}\n\\maketitle\n\\section{Intro}Hello.",
        preamble="\\documentclass[sigconf]{acmart}",
    )
    md = result.body
    assert _byline(md) == (
        "**Cam Handle** (Cup Works, Leeds, UK; `cam@example.org`), **Dee Rim** (Saucer Co)[^1]"
    )
    assert "**Keywords:** cups, tea" in md
    assert "**CCS Concepts:** Kitchen → Crockery" in md
    assert "[^1]: Written in a teashop." in md
    for leak in ("ccs2012", "concept", "2030", "acmcopyright", "printfolios", "978-0"):
        assert leak not in md, leak


def test_llncs_marks_map_to_institutes_and_never_stick_to_names():
    md = paper(
        '\\title{Soup}\\author{Erin St\\"{o}ck\\inst{1} \\and Finn Broth\\inst{1,2}}\n'
        "\\institute{Soup School, Bern \\and Broth Lab, Basel}\n\\maketitle\n\\section{A}B.",
        preamble="\\documentclass{llncs}",
    ).body
    assert _byline(md) == (
        "**Erin Stöck** (Soup School, Bern), **Finn Broth** (Soup School, Bern; Broth Lab, Basel)"
    )
    assert not re.search(r"(Stöck|Broth)\d", md)


def test_neurips_author_lines_and_ieee_blocks():
    neurips = paper(
        "\\maketitle\\section{A}B.",
        preamble="\\author{Gil Pan \\\\ Pan College \\\\ Oslo \\And Hana Pot \\\\ Pot Lab}",
    ).body
    assert _byline(neurips) == "**Gil Pan** (Pan College, Oslo), **Hana Pot** (Pot Lab)"
    ieee = paper(
        "\\author{\\IEEEauthorblockN{Ian Wok\\IEEEauthorrefmark{1}, Jo Tin\\IEEEauthorrefmark{2}}"
        "\\IEEEauthorblockA{\\IEEEauthorrefmark{1}Wok Works}"
        "\\IEEEauthorblockA{\\IEEEauthorrefmark{2}Tin Institute}}\\maketitle\n"
        "\\begin{IEEEkeywords}woks, tins\\end{IEEEkeywords}\\section{A}B.",
    ).body
    assert _byline(ieee) == "**Ian Wok** (Wok Works), **Jo Tin** (Tin Institute)"
    assert "**Keywords:** woks, tins" in ieee


def test_setstretch_and_spacing_arguments_do_not_leak():
    md = paper(
        "\\setstretch{1.25}\\begin{spacing}{1.5}Spaced words.\\end{spacing}"
        "\\vskip 2pt plus 1pt Next words.",
        preamble="\\usepackage{setspace}\\setstretch{1.1}",
    ).body
    assert md.strip() == "Spaced words. Next words."


def test_abstract_in_the_preamble_or_as_a_command_is_kept():
    preamble_env = paper(
        "\\maketitle\\section{A}Body.",
        preamble="\\begin{abstract}Written before the document.\\end{abstract}",
    )
    assert preamble_env.abstract == "Written before the document."
    command = paper("\\abstract{Given as a command.}\\maketitle\\section{A}Body.")
    assert command.abstract == "Given as a command."
    assert "Given as a command" not in command.body


def test_arxiv_reader_heads_the_source_abstract(tmp_path):
    from arxiv_helpers import tar_gz

    from extract.convert.arxiv import convert_arxiv

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(
        "<html><head><title>[0000.00001] Kettles</title></head><body>"
        "<h1 class='title mathjax'>Kettles</h1></body></html>",
        encoding="utf-8",
    )
    tex = (
        "\\documentclass{article}\\abstract{Kettles boil water.}\\begin{document}"
        "\\maketitle\\section{Intro}Steam.\\end{document}"
    )
    tar_gz(raw / "arxiv-eprint.tar.gz", {"k.tex": tex})
    body = convert_arxiv(raw, "https://arxiv.org/abs/0000.00001").body
    assert "## Abstract\n\nKettles boil water.\n\n## 1 Intro" in body


def test_byline_without_maketitle_goes_first():
    md = convert_latex(
        {"p.tex": b"\\documentclass{article}\\author{Kai Lid}\\begin{document}Text.\\end{document}"}
    ).body
    assert md.startswith("**Kai Lid**\n\nText.")


def test_aaai_affiliation_block_maps_marks():
    md = paper(
        "\\maketitle\\section{A}B.",
        preamble="\\author{Uma Tray\\textsuperscript{\\rm 1}, Vic Lid\\textsuperscript{\\rm 2}}"
        "\\affiliations{\\textsuperscript{\\rm 1}Tray Institute\\\\ Rome\\\\"
        "\\textsuperscript{\\rm 2}Lid Lab\\\\ vic@example.org}",
    ).body
    assert (
        _byline(md) == "**Uma Tray** (Tray Institute, Rome), **Vic Lid** (Lid Lab, vic@example.org)"
    )
