"""Only true headings from a PDF (issue 19): each failure class seen on real papers,
rebuilt in a PDF we write ourselves (tests/pdf_writer.py, tests/pdf_paper.py) —
fonts whose weight lies, Computer Modern bold without "Bold" in its name, small
capitals, a running head inside the margin band, a contents page, a chapter title
under "Chapter 1", an author block, table rows, formula pieces, an outline with
typographic quotes, unnumbered bold subsections and back matter's level."""

from __future__ import annotations

from pdf_paper import BODY, FILLER, Writer

from extract.anchors import headings
from extract.convert.pdf import pdf_to_markdown


def _levels(markdown: str) -> list[tuple[int, str]]:
    return [(h.level, h.text) for h in headings(markdown)]


def _tex_fonts(w: Writer) -> None:
    """Fonts as TeX writes them: the stem widths give PDFium's weights (740 for the
    regular Times clone, 700 for its bold, 570 for CMBX10, 250 for SFBX1000)."""
    w.pdf.font("regu", "NimbusRomNo9L-Regu", 150)
    w.pdf.font("medi", "NimbusRomNo9L-Medi", 140)
    w.pdf.font("cmr", "CMR10", 69)
    w.pdf.font("cmbx", "CMBX10", 114)
    w.pdf.font("sfbx", "SFBX1000", 50)
    w.pdf.font("txsc", "rtxsc", 109)


def test_a_regular_font_that_reports_bold_weight_opens_no_headings(tmp_path):
    w = Writer()
    _tex_fonts(w)
    w.line("1 Introduction", 12, "medi")
    for _ in range(3):
        w.para("Security is an essential property of storage systems. " + FILLER, font="regu")
    w.line("2 Design", 12, "medi", gap=6)
    w.para(font="regu")
    w.line("2.1 Layout", BODY, "medi", gap=4)
    w.para(font="regu")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [(2, "1 Introduction"), (2, "2 Design"), (3, "2.1 Layout")]
    assert "Security is an essential property of storage systems." in body


def test_computer_modern_bold_is_bold_without_bold_in_its_name(tmp_path):
    w = Writer()
    _tex_fonts(w)
    w.line("3 Evaluation", 12, "cmbx")
    w.para(font="cmr")
    w.line("3.1 The Stage Data Set", BODY, "cmbx", gap=4)
    w.para(font="cmr")
    w.line("3.2 Oracle Performance", BODY, "cmbx", gap=4)
    w.line([("Stage balance. ", "sfbx"), ("Every device gets the same number of", "cmr")], gap=2)
    w.line("blocks, so no stage waits for another one.", font="cmr")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (2, "3 Evaluation"),
        (3, "3.1 The Stage Data Set"),
        (3, "3.2 Oracle Performance"),
        (4, "Stage balance"),
    ]
    assert "Every device gets the same number of blocks" in body


def test_small_capitals_from_a_small_caps_font_and_from_smaller_capitals(tmp_path):
    w = Writer()
    _tex_fonts(w)
    # IEEE: the capital in the text face, the rest in a small-caps font whose text
    # layer gives lower case letters.
    w.line([("I. I", "regu"), ("ntroduction", "txsc")], gap=0)
    w.para(font="regu")
    w.line([("II. R", "regu"), ("elated ", "txsc"), ("W", "regu"), ("ork", "txsc")], gap=6)
    w.para(font="regu")
    # \sys Design with \sys in small capitals: smaller capitals the reader lowercases.
    w.page.text(72, w.y + 8, "III. ", size=BODY, font="tiro")
    w.page.text(92.5, w.y + 8, "FLEXCRYPT", size=8, font="tiro")
    w.page.text(140, w.y + 8, " D", size=BODY, font="tiro")
    w.page.text(149, w.y + 8, "ESIGN", size=8, font="tiro")
    w.y += 22
    w.para(font="regu")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (2, "I. Introduction"),
        (2, "II. Related Work"),
        (2, "III. flexcrypt Design"),
    ]


def test_running_head_inside_the_margin_band_that_changes_with_the_section(tmp_path):
    w = Writer()
    w.line("1 Spectra", 12, "hebo")
    for n in range(5):
        w.new_page()
        # just inside the band's edge (8 % of the page height), the text changing
        w.page.text(72, 64, f"1.{n + 1}. PHOTOLUMINESCENCE PART {n + 1}", size=9, font="helv")
        w.page.text(400, 64, "CHAPTER 1. SPECTRA", size=9, font="helv")
        w.y = 96
        w.para()
        w.para()
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [(2, "1 Spectra")]
    assert "PHOTOLUMINESCENCE" not in body and "CHAPTER 1" not in body


def test_contents_page_lines_are_not_headings(tmp_path):
    w = Writer()
    w.line("Contents", 20, "hebo")
    w.line("1 Introduction 1", BODY, "hebo", gap=8)
    w.line("1.1 Motivation . . . . . . . . . . . . . 1")
    w.line("1.2 Objectives . . . . . . . . . . . . . 2")
    w.line("2 Spectral Distribution 3", BODY, "hebo")
    w.line("2.1 Model . . . . . . . . . . . . . . . . 3")
    w.line("Bibliography 9", BODY, "hebo")
    w.new_page()
    w.line("1 Introduction", 14, "hebo")
    w.para()
    w.line("1.1 Motivation", 12, "hebo", gap=4)
    w.para()
    w.line("2 Spectral Distribution", 14, "hebo", gap=6)
    w.para()
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (2, "1 Introduction"),
        (3, "1.1 Motivation"),
        (2, "2 Spectral Distribution"),
    ]


def test_chapter_number_and_its_title_are_one_heading(tmp_path):
    w = Writer()
    w.line("A Thesis on Stages", 28, "hebo")  # the title page
    w.new_page()
    w.line("Chapter 1", 20, "hebo")
    w.line("Variational Mixture of", 25, "hebo", gap=10)
    w.line("Normalizing Flows", 25, "hebo")
    w.para()
    w.line("1.1 Motivation", 14, "hebo", gap=6)
    w.para()
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (2, "1 Variational Mixture of Normalizing Flows"),
        (3, "1.1 Motivation"),
    ]


def test_author_block_stays_front_matter_and_the_abstract_comes_once(tmp_path):
    w = Writer()
    w.line("Pipelined Denoising for Video Models", 17, "hebo")
    # names in bold, each followed by its affiliation mark in the text face
    w.line(
        [("Martin Trapp", "hebo"), (" 1 ", "helv"), ("Vikas Dhiman", "hebo"), (" 2", "helv")],
        11,
        gap=10,
    )
    w.line("Penghui Qi", 11, "hebo")
    w.line("Department of Stages, Some University")
    w.line("Abstract", 12, "hebo", gap=10)
    w.para("We split a video model into stages and keep every device busy.")
    w.line("1 Introduction", 12, "hebo", gap=8)
    w.para()
    w.line("2 Method", 12, "hebo", gap=8)
    w.para()
    result = pdf_to_markdown(w.save(tmp_path / "p.pdf"))
    assert _levels(result.body) == [(2, "1 Introduction"), (2, "2 Method")]
    assert any("Martin Trapp" in part for part in result.front)
    assert any("Penghui Qi" in part for part in result.front)
    assert result.abstract.startswith("We split a video model")
    assert "Abstract" not in result.body


def test_table_rows_formula_pieces_and_algorithm_keywords_are_not_headings(tmp_path):
    w = Writer()
    w.line("1 Results", 12, "hebo")
    w.para()
    w.line("1.1 Latency", BODY, "hebo", gap=4)
    w.para()
    y = w.y + 6
    for cells, font in (
        (("Schedule", "Latency", "Memory"), "hebo"),
        (("GPipe", "4.15", "4.21"), "helv"),
        (("ZB-V", "4.15", "4.21"), "hebo"),
    ):
        for x, cell in zip((72, 200, 320), cells, strict=True):
            w.page.text(x, y, cell, size=BODY, font=font)
        y += 14
    w.y = y + 8
    w.para()
    w.line("F SC =", BODY, "hebo", gap=6, x=200)
    w.para()
    w.line([("Result: ", "hebo"), ("the schedule with the least idle time", "helv")], gap=6)
    w.para()
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [(2, "1 Results"), (3, "1.1 Latency")]


def test_outline_names_a_heading_with_a_typographic_apostrophe(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    w.para()
    w.line("2 The Defender’s Plan", gap=8)  # no font cue: only the outline says so
    w.para()
    w.pdf.bookmark("1 Introduction")
    w.pdf.bookmark("2 The Defender's Plan")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [(2, "1 Introduction"), (2, "2 The Defender’s Plan")]


def test_unnumbered_bold_subsection_between_numbered_sections(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    w.para()
    w.line("2 Method", 12, "hebo", gap=8)
    w.para()
    w.line("Pipelining Computation and Communication", BODY, "hebo", gap=8)
    w.para(indent=False)
    w.line("3 Results", 12, "hebo", gap=8)
    w.para()
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (2, "1 Introduction"),
        (2, "2 Method"),
        (3, "Pipelining Computation and Communication"),
        (2, "3 Results"),
    ]


def test_acknowledgments_in_the_subsection_face_is_still_a_section(tmp_path):
    w = Writer()
    # Sections in bold capitals, subsections in bold at the same size (ACM's way):
    # an unnumbered "Acknowledgments" in bold looks like a subsection but is back matter.
    w.line("1 INTRODUCTION", BODY, "hebo")
    w.para()
    w.line("1.1 Stage Split", BODY, "hebo", gap=6)
    w.para()
    w.line("2 DESIGN", BODY, "hebo", gap=8)
    w.para()
    w.line("2.1 Schedules", BODY, "hebo", gap=6)
    w.para()
    w.line("Acknowledgments", BODY, "hebo", gap=8)
    w.para("We thank the reviewers.")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body)[-1] == (2, "Acknowledgments")


def test_heading_inside_a_figure_box_kept_when_its_number_comes_next(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    w.para()
    # A figure whose box reaches down over the next section's heading.
    fig = w.page.figure(72, 200, 500, 360)
    fig.rect(80, 205, 490, 355)  # its frame drawn round the heading's place
    fig.text(90, 240, "1 Worker 8 Stages", size=12, font="hebo")
    w.page.text(72, 340, "2 Method", size=12, font="hebo")
    w.y = 360
    w.para()
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [(2, "1 Introduction"), (2, "2 Method")]
    assert "Worker" not in body
