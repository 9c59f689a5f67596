"""The PDF reader on PDFs we write ourselves (tests/pdf_writer.py): headings and their
levels, wrapped headings, run-in headings, hyphenation, page furniture, figures,
tables, the front matter, and what happens without the PDF extra."""

from __future__ import annotations

import builtins
import re

import pytest
from pdf_paper import BODY, Writer
from sample_papers import ABSTRACT_HTML

from extract.anchors import headings
from extract.convert.arxiv import convert_arxiv
from extract.convert.pdf import convert_pdf, pdf_to_markdown
from extract.convert.pdf.text import PdfSupportMissing, read_pdf
from extract.errors import RefsError

URL = "https://arxiv.org/abs/2401.00001"


def _body(path) -> str:
    return pdf_to_markdown(path).body


def _levels(markdown: str) -> list[tuple[int, str]]:
    return [(h.level, h.text) for h in headings(markdown)]


def test_numbered_headings_take_their_level_from_the_number(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    w.para()
    w.line("2 Method", 12, "hebo", gap=6)
    w.para()
    w.line("2.1 Stages", BODY, "hebo", gap=4)
    w.para()
    w.line("2.1.1 Balance Rule", BODY, "hebo", gap=4)
    w.para()
    w.line("References", 12, "hebo", gap=6)
    w.line("[1] A. Writer. A paper on stages. 2020.")
    w.line("A Proofs", 12, "hebo", gap=6)
    w.para()
    w.line("A.1 The Exchange Argument", BODY, "hebo", gap=4)
    w.para()
    body = _body(w.save(tmp_path / "p.pdf"))
    assert _levels(body) == [
        (2, "1 Introduction"),
        (2, "2 Method"),
        (3, "2.1 Stages"),
        (4, "2.1.1 Balance Rule"),
        (2, "References"),
        (2, "A Proofs"),
        (3, "A.1 The Exchange Argument"),
    ]


def test_roman_small_caps_lettered_italic_and_numbered_run_in(tmp_path):
    w = Writer()
    # Small capitals: the capital at 10 pt, the rest upper case at 8 pt, one line.
    w.page.text(250, w.y, "I. I", size=BODY, font="tiro")
    w.page.text(261.66, w.y, "NTRODUCTION", size=8, font="tiro")
    w.y += 14
    w.para()
    w.page.text(250, w.y + 6, "II. M", size=BODY, font="tiro")
    w.page.text(270.55, w.y + 6, "ETHOD", size=8, font="tiro")
    w.y += 20
    w.para()
    w.line("A. Stage Split", BODY, "tiit", gap=4)
    w.para()
    w.line(
        [("1) Balance rule: ", "tiit"), ("Each stage gets the same number of blocks.", "tiro")],
        gap=2,
    )
    w.line("B. Schedules", BODY, "tiit", gap=4)
    w.para()
    body = _body(w.save(tmp_path / "p.pdf"))
    assert _levels(body) == [
        (2, "I. Introduction"),
        (2, "II. Method"),
        (3, "A. Stage Split"),
        (4, "1) Balance rule"),
        (3, "B. Schedules"),
    ]
    assert "Each stage gets the same number of blocks." in body


def test_wrapped_heading_is_joined_and_small_caps_subsection_at_body_size(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    w.para()
    w.line("3 Pipelined Denoising With Stages That Wrap Onto Two Lines", 12, "hebo", gap=6)
    w.line("A Second Line", 12, "hebo")
    w.para()
    w.line("3.1 MEMORY EFFICIENT SCHEDULE", BODY, "helv", gap=4)
    w.para()
    body = _body(w.save(tmp_path / "p.pdf"))
    assert _levels(body) == [
        (2, "1 Introduction"),
        (2, "3 Pipelined Denoising With Stages That Wrap Onto Two Lines A Second Line"),
        (3, "3.1 MEMORY EFFICIENT SCHEDULE"),
    ]


def test_bold_run_in_heading_opens_its_paragraph(tmp_path):
    w = Writer()
    w.line("2 Method", 12, "hebo")
    w.para()
    w.line(
        [("Weight Stashing. ", "hebo"), ("Each stage keeps the weights it used for the", "helv")],
        gap=4,
    )
    w.line("forward pass, and the backward pass of the same micro-batch finds them again.")
    w.line([("Vertical Sync. ", "hebo"), ("Stages agree on one version.", "helv")])
    body = _body(w.save(tmp_path / "p.pdf"))
    assert _levels(body) == [(2, "2 Method"), (3, "Weight Stashing"), (3, "Vertical Sync")]
    assert (
        "### Weight Stashing\n\nEach stage keeps the weights it used for the forward pass" in body
    )
    assert "### Vertical Sync\n\nStages agree on one version." in body


def test_hyphenation_undone_and_running_heads_dropped(tmp_path):
    w = Writer(header="Pipelined Denoisers, a test paper")
    w.line("1 Introduction", 12, "hebo")
    w.line("We train with PyTorch on eight devices, and the whole run uses Py-")
    w.line("Torch as well; every acceler-")
    w.line("ator stays busy and a batch-")
    w.line("splitting scheme keeps the batch splitting cheap.")
    for _ in range(3):
        w.new_page()
        w.para()
    body = _body(w.save(tmp_path / "p.pdf"))
    assert "the whole run uses PyTorch as well; every accelerator stays busy" in body
    assert "a batch-splitting scheme" in body
    assert "Pipelined Denoisers, a test paper" not in body
    assert not re.search(r"^\d+$", body, re.M)


def test_text_inside_a_figure_is_left_out_and_the_caption_kept(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    w.para()
    fig = w.page.figure(72, 200, 400, 330)
    fig.rect(80, 205, 390, 320)
    fig.text(90, 230, "F W", size=9, font="hebo")
    fig.text(90, 260, "1 Worker 8 Stages", size=12, font="hebo")
    fig.text(90, 300, "0 10 20 30", size=7)
    w.y = 345
    w.line("Figure 1: The stage layout of the denoiser.", 9)
    w.line("The text goes on after the figure.", gap=8)
    body = _body(w.save(tmp_path / "p.pdf"))
    assert "[Figure 1: The stage layout of the denoiser.]" in body
    for text in ("F W", "Worker", "0 10 20"):
        assert text not in body
    assert _levels(body) == [(2, "1 Introduction")]


def test_a_simple_table_becomes_a_markdown_table(tmp_path):
    w = Writer()
    w.line("1 Results", 12, "hebo")
    w.para()
    w.line("Table 1: Speed per stage.", 9, gap=6)
    w.page.line(150, w.y, 450, w.y)
    w.y += 12
    for row in (("Stages", "Time", "Speedup"), ("1", "10.0", "1.0"), ("4", "2.6", "3.8")):
        for x, cell in zip((160, 280, 380), row, strict=True):
            w.page.text(x, w.y, cell, size=9)
        w.y += 12
    w.page.line(150, w.y - 6, 450, w.y - 6)
    w.line("After the table the text goes on.", gap=8)
    body = _body(w.save(tmp_path / "p.pdf"))
    assert "**Table 1:** Speed per stage." in body
    assert (
        "| Stages | Time | Speedup |\n|---|---|---|\n| 1 | 10.0 | 1.0 |\n| 4 | 2.6 | 3.8 |" in body
    )


def test_paragraph_starting_with_a_number_is_escaped_without_stray_backslash(tmp_path):
    w = Writer()
    w.line("1 Setup", 12, "hebo")
    w.line("2. The second point starts this paragraph, with *stars* and a_b.", x=84)
    body = _body(w.save(tmp_path / "p.pdf"))
    assert "2\\. The second point" in body
    assert "\\2" not in body
    assert "\\*stars\\*" in body and "a_b" in body  # intraword `_` is text: left alone


def _paper_without_title(tmp_path, with_abstract: bool):
    w = Writer()
    if with_abstract:
        w.line("Abstract", 12, "hebo")
        w.line("Our own printed abstract, written for this test.")
    w.line("1 Introduction", 12, "hebo", gap=6)
    w.para()
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "abstract.html").write_text(ABSTRACT_HTML, encoding="utf-8")
    w.save(raw / "paper.pdf")
    return raw


def test_missing_pdf_title_and_abstract_come_from_the_abstract_page(tmp_path):
    doc = convert_arxiv(_paper_without_title(tmp_path, with_abstract=False), URL)
    assert doc.body.startswith(
        "# Pipelined Denoisers for Long Videos\n\nAda Lovelace, Grace Hopper"
    )
    assert "## Abstract\n\nWe split a denoiser across stages" in doc.body
    assert "# paper" not in doc.body
    assert any(
        "title from the abstract page, abstract from the abstract page" in n for n in doc.notes
    )


def test_printed_abstract_is_used_once(tmp_path):
    doc = convert_arxiv(_paper_without_title(tmp_path, with_abstract=True), URL)
    assert doc.body.count("## Abstract") == 1
    assert "Our own printed abstract, written for this test." in doc.body
    assert "We split a denoiser across stages" not in doc.body
    assert any("abstract as printed in the PDF" in n for n in doc.notes)


def test_direct_pdf_takes_the_printed_title_over_empty_metadata(tmp_path):
    w = Writer()
    w.line("Stage Balance for Video Models", 18, "hebo", x=150)
    w.line("Ada Lovelace, Example Institute", 11, x=200)
    w.line("Abstract", 12, "hebo", gap=8)
    w.line("A short abstract we wrote for this test.")
    w.line("1 Introduction", 12, "hebo", gap=6)
    w.para()
    doc = convert_pdf(w.save(tmp_path / "paper.pdf"), "https://example.com/paper.pdf")
    assert doc.title == "Stage Balance for Video Models"
    lines = doc.body.split("\n\n")
    assert lines[:4] == [
        "# Stage Balance for Video Models",
        "Ada Lovelace, Example Institute",
        "## Abstract",
        "A short abstract we wrote for this test.",
    ]
    assert "## 1 Introduction" in doc.body


def test_a_line_the_outline_names_is_a_heading_without_a_font_cue(tmp_path):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    w.para()
    w.line("Results Overview", gap=6)  # body size, plain: only the outline says so
    w.para()
    w.pdf.bookmark("Introduction")
    w.pdf.bookmark("Results Overview")
    body = _body(w.save(tmp_path / "p.pdf"))
    assert _levels(body) == [(2, "1 Introduction"), (2, "Results Overview")]


def test_pdf_outline_and_metadata_are_read(tmp_path):
    w = Writer(title="Meta Title")
    w.line("1 Introduction", 12, "hebo")
    w.pdf.bookmark("1 Introduction")
    text = read_pdf(w.save(tmp_path / "p.pdf"))
    assert text.metadata["title"] == "Meta Title"
    assert [(e.level, e.title, e.page) for e in text.outline] == [(1, "1 Introduction", 0)]
    heading = next(ln for ln in text.pages[0].lines if ln.text == "1 Introduction")
    assert heading.bold and heading.size == 12 and not heading.italic


def test_without_the_pdf_extra_one_message_names_the_install_command(tmp_path, monkeypatch):
    w = Writer()
    w.line("1 Introduction", 12, "hebo")
    path = w.save(tmp_path / "p.pdf")
    real_import = builtins.__import__

    def no_pdfium(name, *args, **kwargs):
        if name.startswith("pypdfium2"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pdfium)
    with pytest.raises(PdfSupportMissing, match=r"pip install -e '\.\[pdf\]'"):
        pdf_to_markdown(path)


def test_not_a_pdf_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"<html>not a pdf</html>")
    with pytest.raises(RefsError, match="cannot open the PDF"):
        pdf_to_markdown(bad)


def test_a_url_broken_at_the_line_end_is_joined_without_a_space(tmp_path):
    w = Writer()
    w.line("References", 12, "hebo")
    w.line("[1] Stage Tools. https:")
    w.line("//example.org/stage-tools/ and more.")
    w.line("[2] Frame Kit. https://example.org/frame-")
    w.line("kit/docs.")
    body = _body(w.save(tmp_path / "p.pdf"))
    assert "[1] Stage Tools. https://example.org/stage-tools/ and more." in body
    assert "[2] Frame Kit. https://example.org/frame-kit/docs." in body
