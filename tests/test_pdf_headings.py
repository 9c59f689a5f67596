"""Only true headings from a PDF (issue 19): each failure class seen on real papers,
rebuilt in a PDF we write ourselves (tests/pdf_writer.py, tests/pdf_paper.py) —
fonts whose weight lies, Computer Modern bold without "Bold" in its name, small
capitals, a running head inside the margin band, a contents page, a chapter title
under "Chapter 1", an author block, table rows, formula pieces, an outline with
typographic quotes, unnumbered bold subsections and back matter's level; and what
the development papers showed after: a formula inside a bold heading, scripts set
clear of their line, a bold name a sentence starts a line with, a review copy's line
numbers, an outline that ranks front matter too high, run-in heads holding a formula
or opening with a system's name."""

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


def _math_fonts(w: Writer) -> None:
    """TeX's math italic (CMMI10, its bold CMMIB10) beside the text faces."""
    _tex_fonts(w)
    w.pdf.font("cmmi", "CMMI10", 72)
    w.pdf.font("cmmib", "CMMIB10", 114)
    w.pdf.font("cmti", "CMTI10", 69, flags=32 | 64)


def test_a_formula_in_math_fonts_does_not_unbold_its_heading(tmp_path):
    # \subsubsection*{Lower Bound on $\log p(\bm{x})$}: the words in CMBX, the formula
    # in CMR and CMMI whatever the heading's face.
    w = Writer()
    _math_fonts(w)
    w.line("1 Introduction", 12, "cmbx")
    w.para(font="cmr")
    w.line("2 Method", 12, "cmbx", gap=8)
    w.para(font="cmr")
    formula = [("log ", "cmr"), ("p", "cmmi"), ("(", "cmr"), ("x", "cmmib"), (")", "cmr")]
    w.line([("Lower Bound on ", "cmbx"), *formula], gap=8)
    w.para(indent=False, font="cmr")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (2, "1 Introduction"),
        (2, "2 Method"),
        (3, "Lower Bound on log p(x)"),
    ]


def test_scripts_stay_on_their_line_and_math_capitals_keep_their_case(tmp_path):
    w = Writer()
    _math_fonts(w)
    w.line("1 Introduction", 12, "cmbx")
    w.para(font="cmr")
    # A lettered appendix heading whose exponent is a fraction standing clear above
    # the line: one heading, not four lines.
    w.line(
        [
            ("B Computing all ", "cmbx", 12),
            ("u", "cmmi", 12),
            ("i", "cmmi", 8, -2),
            (" = ", "cmbx", 12),
            ("g", "cmmi", 12),
            ("L(t)-1", "cmmi", 6, 9),
            ("t-w", "cmmi", 6, 1, 14),
            (" in Linear Time", "cmbx", 12),
        ],
        gap=8,
    )
    w.para(font="cmr")
    # A numbered run-in head: f with a superscript and a subscript stacked under it.
    w.line(
        [
            ("6.3.3 ", "cmti"),
            ("f", "cmmi"),
            ("bit", "cmr", 7, 3),
            ("zk", "cmr", 7, -2, 9),
            (": Proof of Plaintext Bit. ", "cmti"),
            ("For a commitment the prover shows that", "cmr"),
        ],
        gap=6,
    )
    w.line("the committed value is a bit, in zero knowledge.", font="cmr")
    # A fraction L/K inside O(...): math capitals at two sizes are not small capitals.
    w.line(
        [
            ("Peak memory is O(", "cmr"),
            ("N", "cmmi"),
            (" + ", "cmr"),
            ("L", "cmmi", 7, 4),
            ("K", "cmmi", 7, -3, 5),
            (") per stage.", "cmr"),
        ],
        gap=6,
    )
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (2, "1 Introduction"),
        (2, "B Computing all ui = g L(t)-1 t-w in Linear Time"),
        (4, "6.3.3 f bit zk: Proof of Plaintext Bit"),
    ]
    assert "For a commitment the prover shows that the committed value is a bit" in body
    assert "O(N + L K" in body


def test_a_bold_name_that_a_sentence_starts_a_line_with_is_no_heading(tmp_path):
    # ICML's "... the clean data. \textbf{BatchWeight}~\citep{..}: a method ...": the
    # bold name lands at a line's start inside a paragraph, with no space above it.
    w = Writer()
    w.line("1 Baselines", 12, "hebo")
    w.line("We compare with several methods designed for filtering noisy data on the")
    w.line("benchmark, and we simply consider the development set as the clean data.")
    w.line(
        [
            ("BatchWeight", "hebo"),
            (" (Ren et al., 2018): a method that scales each example", "helv"),
        ]
    )
    w.line("loss in a batch with a weight vector fitted on a small set of clean data.")
    # A run-in head after a full stop: its own full stop, or space above it, says so.
    w.line([("Stage balance.", "hebo"), (" Every device of the pipeline gets as many", "helv")])
    w.line("blocks as the others, so that no stage waits for another one to finish.")
    w.line(
        [("Schedules", "hebo"), (" We pick the schedule with the least idle time of", "helv")],
        gap=4,
    )
    w.line("all devices, measured on the development set before the final run starts.")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [(2, "1 Baselines"), (3, "Stage balance"), (3, "Schedules")]
    assert "clean data. BatchWeight (Ren et al., 2018): a method" in body


def test_review_line_numbers_beside_the_text_are_dropped(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    ys = []
    for n in range(4):
        for text in (
            "The pipeline keeps every device busy while frames flow through its stages",
            "and the schedule decides when each micro-batch of the video moves on to",
            "the next stage, so that the idle time of the devices stays small and the sched-",
            f"ule is the same for every one of the {n + 2} clips that the model denoises.",
        ):
            ys.append(w.y)
            w.line(text)
    # a review copy numbers every line in the margin, drawn in one go after the text
    number = 101
    for y in ys:
        w.page.text(40, y, str(number), size=7)
        number += 1
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [(2, "1 Introduction")]
    assert not any(str(n) in body for n in range(101, number))
    assert "the idle time of the devices stays small and the schedule is the same" in body


def test_an_unnumbered_heading_the_outline_names_takes_the_level_of_its_style(tmp_path):
    # A thesis: \section*{Resumo} in front matter is a top bookmark (no chapter above
    # it), but it is set as the numbered sections are: their level, not a chapter's.
    w = Writer()
    w.line("A Thesis on Stages", 28, "hebo")
    w.new_page()
    w.line("Resumo", 14, "hebo")
    w.para()
    w.new_page()
    w.line("1 Introduction", 20, "hebo")
    w.para()
    w.line("1.1 Motivation", 14, "hebo", gap=6)
    w.para()
    w.line("1.2 Objectives", 14, "hebo", gap=6)
    w.para()
    for title, page in (("Resumo", 1), ("1 Introduction", 2)):
        w.pdf.bookmark(title, page)
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    assert _levels(body) == [
        (3, "Resumo"),
        (2, "1 Introduction"),
        (3, "1.1 Motivation"),
        (3, "1.2 Objectives"),
    ]


def test_run_in_heads_holding_a_formula_or_opening_with_a_name(tmp_path):
    w = Writer()
    _math_fonts(w)
    w.line("3 Design", 12, "cmbx")
    w.para(font="cmr")
    w.line(
        [
            ("Computing All ", "cmbx"),
            ("u", "cmmi"),
            ("i", "cmmi", 7, -2),
            ("'s Fast.", "cmbx"),
            (" We compute every proof with one transform over the group.", "cmr"),
        ],
        gap=4,
    )
    w.line("It takes a time linear in the number of stages, times its logarithm.", font="cmr")
    # \paragraph{\sys{} specific uses}: the system's name in its own face first
    w.line(
        [
            ("iOPRF ", "cmr"),
            ("specific applications.", "cmti"),
            (" The protocol also forces every client to follow the tree.", "cmr"),
        ],
        gap=4,
    )
    w.line("Clients that skip a level of the tree are caught by the server at once.", font="cmr")
    body = pdf_to_markdown(w.save(tmp_path / "p.pdf")).body
    # (the stand-in font's metrics leave a gap after the subscript: a space)
    assert [(lv, t.replace(" '", "'")) for lv, t in _levels(body)] == [
        (2, "3 Design"),
        (3, "Computing All ui's Fast"),
        (3, "iOPRF specific applications"),
    ]
    assert "The protocol also forces every client to follow the tree." in body
